package dev.fovea.image;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Perceptual colour maps from published tables, sampled by linear interpolation between entries in sRGB (as
 * matplotlib's {@code LinearSegmentedColormap} and {@code ListedColormap} do at 256 levels).
 * <ul>
 *   <li>{@link #VIRIDIS}: sequential, for magnitudes (van der Walt and Smith 2015, CC0; the 256 entries of
 *       matplotlib's {@code _viridis_data}, in {@code viridis.txt});</li>
 *   <li>{@link #RDBU}: diverging, for signed maps: ColorBrewer's 11-class RdBu (Brewer, colorbrewer2.org) reversed,
 *       so negative values are blue, zero is near-white and positive values red (matplotlib's {@code RdBu_r}).</li>
 * </ul>
 */
public enum ColorMap {
    VIRIDIS(load("viridis.txt")),
    RDBU(hex("053061", "2166ac", "4393c3", "92c5de", "d1e5f0", "f7f7f7", "fddbc7", "f4a582", "d6604d", "b2182b", "67001f"));

    private final float[][] table;

    ColorMap(float[][] table) {
        this.table = table;
    }

    /** The colour at {@code t} in [0,1] (clamped; NaN maps to 0) as {@code [r,g,b]} in [0,1]. */
    public float[] rgb(double t) {
        double u = Double.isNaN(t) ? 0 : Math.max(0, Math.min(1, t)) * (table.length - 1);
        int i = Math.min(table.length - 2, (int) Math.floor(u));
        float f = (float) (u - i);
        float[] a = table[i];
        float[] b = table[i + 1];
        return new float[] {a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])};
    }

    /** The colour at {@code t} as packed {@code 0xRRGGBB}. */
    public int packed(double t) {
        float[] c = rgb(t);
        return (level(c[0]) << 16) | (level(c[1]) << 8) | level(c[2]);
    }

    /** Number of entries in the published table. */
    public int entries() {
        return table.length;
    }

    private static int level(float v) {
        return Math.round(255 * Math.max(0f, Math.min(1f, v)));
    }

    private static float[][] hex(String... colours) {
        float[][] t = new float[colours.length][];
        for (int i = 0; i < colours.length; i++) {
            int v = Integer.parseInt(colours[i], 16);
            t[i] = new float[] {((v >> 16) & 255) / 255f, ((v >> 8) & 255) / 255f, (v & 255) / 255f};
        }
        return t;
    }

    private static float[][] load(String resource) {
        try (InputStream in = ColorMap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("colour map table " + resource + " is missing from the jar");
            }
            List<float[]> rows = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("\\s+");
                rows.add(new float[] {Float.parseFloat(p[0]), Float.parseFloat(p[1]), Float.parseFloat(p[2])});
            }
            return rows.toArray(new float[0][]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
