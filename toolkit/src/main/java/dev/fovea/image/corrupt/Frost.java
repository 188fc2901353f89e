package dev.fovea.image.corrupt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * Frost (ImageNet-C, weather): {@code image * x + frost * crop}, a random crop of one of five frost textures, as
 * the published generators' {@code frost}, which draw one of their first five photographs of frost
 * ({@code np.random.randint(5)}), then the crop's top row and left column. The photographs are not shipped; the
 * textures are procedural ({@link FrostTexture}), made at run time from five fixed seeds, once per image size
 * (kept for later calls). Colour images get the texture tinted bluish white ({@link FrostTexture#TINT}); grayscale
 * images its gray, {@code 0.2989 r + 0.587 g + 0.114 b} of the tinted texture, as the {@code imagecorruptions}
 * package's {@code rgb2gray} of its frost crop.
 *
 * <p>{@code (image, frost)} weights per severity 1 to 5: CIFAR-10-C (1, 0.2), (1, 0.3), (0.9, 0.4), (0.85, 0.4),
 * (0.75, 0.45); ImageNet-C (1, 0.4), (0.8, 0.6), (0.7, 0.7), (0.65, 0.7), (0.6, 0.75). Identity: (1, 0).
 */
public final class Frost extends Corruption<Frost.Params> {
    private static final double[][] SMALL = {{1, 0.2}, {1, 0.3}, {0.9, 0.4}, {0.85, 0.4}, {0.75, 0.45}};
    private static final double[][] LARGE = {{1, 0.4}, {0.8, 0.6}, {0.7, 0.7}, {0.65, 0.7}, {0.6, 0.75}};
    /** The seeds of the five textures. */
    private static final long[] SEEDS = {0x6F72_6F73_7431L, 0x6F72_6F73_7432L, 0x6F72_6F73_7433L, 0x6F72_6F73_7434L,
        0x6F72_6F73_7435L};
    private static final Map<Long, float[]> TEXTURES = new ConcurrentHashMap<>();

    /**
     * @param image the weight of the image
     * @param frost the weight of the frost
     */
    public record Params(double image, double frost) {
    }

    @Override
    public String name() {
        return "frost";
    }

    @Override
    public Family family() {
        return Family.WEATHER;
    }

    @Override
    public Suite suite() {
        return Suite.BENCHMARK;
    }

    @Override
    public String describe() {
        return "blends in a random crop of a procedural frost texture (ImageNet-C, own textures)";
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        double[] c = (Scale.of(height, width) == Scale.SMALL ? SMALL : LARGE)[severity - 1];
        return new Params(c[0], c[1]);
    }

    @Override
    public Params identity() {
        return new Params(1, 0);
    }

    /** Texture {@code index} (0 to 4) for images whose larger side is {@code size}. */
    static float[] texture(int index, int size) {
        return TEXTURES.computeIfAbsent(((long) index << 32) | size, k -> FrostTexture.make(SEEDS[index], size));
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int size = Math.max(h, w);
        float[] tex = texture(rng.nextInt(SEEDS.length), size);
        int t = FrostTexture.side(size);
        int top = rng.nextInt(t - h);
        int left = rng.nextInt(t - w);
        double gray = 0.2989 * FrostTexture.TINT[0] + 0.587 * FrostTexture.TINT[1] + 0.114 * FrostTexture.TINT[2];
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            double tint = c == 3 ? FrostTexture.TINT[ch] : gray;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = ch * plane + y * w + x;
                    dst[i] = (float) (p.image() * src[i] + p.frost() * tint * tex[(top + y) * t + left + x]);
                }
            }
        }
    }
}
