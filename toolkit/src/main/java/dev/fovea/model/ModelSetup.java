package dev.fovea.model;

import dev.fovea.tensor.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a classifier runs with besides its weights, and where each part came from, for reports and warnings: the
 * per-sample input shape {@code [C,H,W]}, the normalisation {@code (x - mean) / std} applied to pixels in
 * {@code [0,1]} (one value or one per channel), and the source of the class names. A {@code .fovea} file carries all
 * of it ({@link Source#MODEL}); a TorchScript file none, so it comes from a sidecar, from the options, or is assumed
 * ({@link Source#DEFAULT}: mean 0 and std 1, classes numbered {@code 0..K-1}).
 *
 * @param inputShape {@code [C,H,W]}
 * @param classes how many classes the model outputs
 */
public record ModelSetup(int[] inputShape, float[] mean, float[] std, int classes, Source inputShapeFrom, Source meanFrom, Source stdFrom,
                         Source classNamesFrom) {
    /** Where a part of the setup came from. */
    public enum Source {
        /** The model file's own metadata. */
        MODEL,
        /** The sidecar JSON beside a TorchScript file. */
        SIDECAR,
        /** The options the model was opened with. */
        OPTIONS,
        /** Nothing said it: mean 0, std 1, classes {@code 0..K-1}. */
        DEFAULT;

        /** Lower case, as reports write it. */
        @com.fasterxml.jackson.annotation.JsonValue
        public String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ModelSetup {
        inputShape = inputShape.clone();
        mean = mean.clone();
        std = std.clone();
    }

    /** The setup of a model whose metadata says everything ({@code .fovea}). */
    public static ModelSetup of(ModelInfo info) {
        return of(info, Source.MODEL, Source.MODEL, Source.MODEL, Source.MODEL);
    }

    /** The setup {@code info} describes, each part from where it is said to come from. */
    public static ModelSetup of(ModelInfo info, Source inputShapeFrom, Source meanFrom, Source stdFrom, Source classNamesFrom) {
        return new ModelSetup(info.inputShape().dims(), info.mean(), info.std(), info.classes(), inputShapeFrom, meanFrom, stdFrom, classNamesFrom);
    }

    /** The numbered class names a model without names gets: {@code 0..k-1}. */
    public static List<String> numbered(int k) {
        return java.util.stream.IntStream.range(0, k).mapToObj(Integer::toString).toList();
    }

    public Shape shape() {
        return Shape.of(inputShape);
    }

    /** Whether mean or std was assumed, nothing having said it. */
    public boolean normalisationAssumed() {
        return meanFrom == Source.DEFAULT || stdFrom == Source.DEFAULT;
    }

    /** {@code mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225]}. */
    public String normalisation() {
        return "mean " + values(mean) + ", std " + values(std);
    }

    private static String values(float[] v) {
        return v.length == 1 ? Float.toString(v[0]).replaceAll("\\.0$", "") : Arrays.toString(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelSetup s && Arrays.equals(inputShape, s.inputShape) && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std)
                && classes == s.classes && inputShapeFrom == s.inputShapeFrom && meanFrom == s.meanFrom && stdFrom == s.stdFrom
                && classNamesFrom == s.classNamesFrom;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(inputShape) * 31 + Arrays.hashCode(mean) * 17 + Arrays.hashCode(std) + classes;
    }

    @Override
    public String toString() {
        return "ModelSetup[input " + shape() + " (" + inputShapeFrom.text() + "), " + normalisation() + " (" + meanFrom.text() + ", "
                + stdFrom.text() + "), " + classes + " classes (names: " + classNamesFrom.text() + ")]";
    }
}
