package dev.fovea.explain;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.fovea.explain.segment.Grid;
import dev.fovea.explain.segment.Segments;
import dev.fovea.explain.segment.Slic;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.method.OptionInfo;
import dev.fovea.method.OptionValues;
import dev.fovea.model.Classifier;
import dev.fovea.tensor.Tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The features of the perturbation methods ({@link FeatureAblation}, {@link Lime}, {@link KernelShap}): each image
 * is cut into superpixels, and a feature is one superpixel, all channels, switched between the image and a
 * baseline value (Captum's {@code feature_mask} and {@code baselines}). The segmentation is SLIC on each image
 * ({@link Slic}: {@code segments} and {@code compactness}, scikit-image's defaults 100 and 10) or a grid of
 * {@code cell}-pixel squares ({@link Grid}, default 4). scikit-image's compactness of 10 is scaled for Lab colour;
 * on a grayscale image in {@code [0,1]} it makes nearly square cells, and 0.1 or less follows the image's edges.
 */
public final class Superpixels {
    /** How an image is cut into features. */
    public enum Segmentation {
        /** SLIC superpixels of each image. */
        SLIC,
        /** Square cells of {@code cell} pixels, the same for every image. */
        GRID;

        @JsonValue
        public String spelling() {
            return OptionInfo.spelling(this);
        }
    }

    /** The segmentation options and the value a switched-off feature takes (finite; Captum's default 0). */
    public record Options(Segmentation segmentation, int segments, double compactness, int cell,
                          @JsonProperty("baseline_value") double baselineValue) implements AttributionOptions {
        public static final Options DEFAULTS = new Options(Segmentation.SLIC, 100, 10.0, 4, 0.0);

        public Options {
            if (segmentation == null) {
                throw new InvalidOptionException("segmentation", "segmentation: expected one of slic, grid, got none");
            }
            if (segments < 1) {
                throw new InvalidOptionException("segments", "segments must be >= 1, got " + segments);
            }
            if (!(compactness > 0) || !Double.isFinite(compactness)) {
                throw new InvalidOptionException("compactness", "compactness must be finite and > 0, got " + compactness);
            }
            if (cell < 1) {
                throw new InvalidOptionException("cell", "cell must be >= 1, got " + cell);
            }
            if (!Double.isFinite(baselineValue)) {
                throw new InvalidOptionException("baselineValue", "baselineValue must be finite, got " + baselineValue);
            }
        }

        public Options withSegmentation(Segmentation s) {
            return new Options(s, segments, compactness, cell, baselineValue);
        }

        public Options withSlic(int n, double m) {
            return new Options(Segmentation.SLIC, n, m, cell, baselineValue);
        }

        public Options withGrid(int c) {
            return new Options(Segmentation.GRID, segments, compactness, c, baselineValue);
        }

        public Options withBaselineValue(double v) {
            return new Options(segmentation, segments, compactness, cell, v);
        }

        /** The segmentation of sample {@code i} of {@code x} {@code [N,C,H,W]}. */
        public Segments segment(Tensor x, int i) {
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            return segmentation == Segmentation.GRID ? Grid.segment(h, w, cell) : Slic.segment(x.data(), i * c * h * w, c, h, w, segments, compactness);
        }

        /** The cell must fit in the image (SLIC takes any image). */
        void check(Tensor x) {
            if (segmentation == Segmentation.GRID && (cell > x.dim(2) || cell > x.dim(3))) {
                throw new InvalidOptionException("cell", "cell " + cell + " is larger than the image (" + x.dim(2) + "x" + x.dim(3) + ")");
            }
        }
    }

    private Superpixels() {
    }

    static List<OptionInfo> infos() {
        Options d = Options.DEFAULTS;
        return List.of(OptionInfo.choice("segmentation", Segmentation.class, d.segmentation(), "features: slic superpixels or grid cells"),
                OptionInfo.of("segments", "int", d.segments(), "SLIC: about this many superpixels"),
                OptionInfo.of("compactness", "double", d.compactness(), "SLIC: weight of position against colour"),
                OptionInfo.of("cell", "int", d.cell(), "grid: side of a cell in pixels"),
                OptionInfo.of("baselineValue", "double", d.baselineValue(), "value of a switched-off feature"));
    }

    static Options parse(OptionValues v) {
        Options d = Options.DEFAULTS;
        return new Options(v.choice("segmentation", Segmentation.class, d.segmentation()), v.integer("segments", d.segments()),
                v.real("compactness", d.compactness()), v.integer("cell", d.cell()), v.real("baselineValue", d.baselineValue()));
    }

    /** The given options that the segmentation leaves unread, with the reason, added to {@code out}. */
    static Map<String, String> unused(Collection<String> given, Options o, Map<String, String> out) {
        Map<String, String> m = new LinkedHashMap<>(out);
        for (String g : given) {
            if (o.segmentation() == Segmentation.GRID && (g.equals("segments") || g.equals("compactness"))) {
                m.put(g, "read only with segmentation slic");
            } else if (o.segmentation() == Segmentation.SLIC && g.equals("cell")) {
                m.put(g, "read only with segmentation grid");
            }
        }
        return m;
    }

    /**
     * Writes sample {@code i} of {@code x} into {@code dst} at {@code off} with feature {@code k} kept where
     * {@code on[k]} and set to {@code fill} elsewhere, all channels.
     */
    static void fill(Tensor x, int i, int[] labels, boolean[] on, float fill, float[] dst, int off) {
        int c = x.dim(1);
        int hw = labels.length;
        float[] src = x.data();
        int base = i * c * hw;
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < hw; p++) {
                dst[off + ch * hw + p] = on[labels[p]] ? src[base + ch * hw + p] : fill;
            }
        }
    }

    /** The score of {@code target} on sample {@code i} of {@code x} with the features of each of {@code rows} kept, the rest at {@code fill}. */
    static double[] scores(Classifier model, Tensor x, int i, int target, int[] labels, boolean[][] rows, float fill, ExplainConfig cfg) {
        double[] out = new double[rows.length];
        Rows.scores(model, rows.length, cfg, r -> target, (r, d, off) -> fill(x, i, labels, rows[r], fill, d, off), (r, v) -> out[r] = v);
        return out;
    }

    /** Each pixel of sample {@code i} of {@code maps} {@code [N,1,H,W]} set to its feature's value. */
    static void spread(Tensor maps, int i, int[] labels, double[] value) {
        int hw = labels.length;
        for (int p = 0; p < hw; p++) {
            maps.data()[i * hw + p] = (float) value[labels[p]];
        }
    }
}
