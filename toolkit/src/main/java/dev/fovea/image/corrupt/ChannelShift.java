package dev.fovea.image.corrupt;

import java.util.random.RandomGenerator;

/**
 * Channel shift: adds to each colour channel of an image its own constant, drawn uniformly from
 * {@code [-limit, limit]}, clipped to {@code [0,1]} (Albumentations' {@code RGBShift}, whose default limit is 20 of
 * 255). Colour images only: on one channel it would be a brightness change.
 *
 * <p>Limit per severity 1 to 5: 0.04, 0.08, 0.12, 0.16, 0.2 (fovea's table; severity 2 is about Albumentations'
 * default). It does not depend on the image size. Identity: limit 0.
 */
public final class ChannelShift extends Corruption<ChannelShift.Params> {
    private static final double[] LIMIT = {0.04, 0.08, 0.12, 0.16, 0.2};

    /** @param limit the largest shift of a channel, in pixel units */
    public record Params(double limit) {
        public Params {
            if (!(limit >= 0) || !Double.isFinite(limit)) {
                throw new IllegalArgumentException("channel-shift: expected a finite limit >= 0, got " + limit);
            }
        }
    }

    @Override
    public String name() {
        return "channel-shift";
    }

    @Override
    public Family family() {
        return Family.COLOUR;
    }

    @Override
    public Suite suite() {
        return Suite.AUGMENTATION;
    }

    @Override
    public String describe() {
        return "adds a random constant to each colour channel (Albumentations' RGBShift)";
    }

    @Override
    public boolean colourOnly() {
        return true;
    }

    @Override
    public Params parameters(int severity, int height, int width) {
        return new Params(Corruptions.at(LIMIT, severity));
    }

    @Override
    public Params identity() {
        return new Params(0);
    }

    @Override
    protected void corrupt(float[] src, float[] dst, int c, int h, int w, Params p, RandomGenerator rng) {
        int plane = h * w;
        for (int ch = 0; ch < c; ch++) {
            double shift = p.limit() == 0 ? 0 : rng.nextDouble(-p.limit(), p.limit());
            for (int i = ch * plane; i < (ch + 1) * plane; i++) {
                dst[i] = shift == 0 ? src[i] : (float) (src[i] + shift);
            }
        }
    }
}
