package dev.fovea.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fovea.io.Limits;
import dev.fovea.tensor.Shape;

import java.util.Arrays;
import java.util.List;

/**
 * What a model file says about its network besides the weights: the format version, the architecture, the
 * per-sample input shape {@code [C,H,W]}, the per-channel normalisation applied to pixels in {@code [0,1]}
 * ({@code (x - mean) / std}, one value or one per channel), the class names and the training provenance. The input
 * shape holds at most {@link Limits#MAX_SAMPLE_VALUES} values.
 */
public record ModelInfo(int formatVersion, Architecture architecture, Shape inputShape, float[] mean, float[] std,
                        List<String> classNames, ObjectNode provenance) {
    /** The model-file format this version writes and the newest it reads. */
    public static final int FORMAT_VERSION = 1;

    public ModelInfo {
        inputShape.requireRank(3, "model", "input shape [C,H,W]");
        if (inputShape.dim(0) < 1 || inputShape.dim(1) < 1 || inputShape.dim(2) < 1 || inputShape.size() > Limits.MAX_SAMPLE_VALUES) {
            throw new IllegalArgumentException("model: expected an input shape [C,H,W] of positive sizes and at most " + Limits.MAX_SAMPLE_VALUES
                    + " values, got " + inputShape);
        }
        int c = inputShape.dim(0);
        if ((mean.length != 1 && mean.length != c) || (std.length != 1 && std.length != c)) {
            throw new IllegalArgumentException("model: expected mean and std of length 1 or " + c + ", got " + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0f) || !Float.isFinite(s)) {
                throw new IllegalArgumentException("model: expected positive std, got " + Arrays.toString(std));
            }
        }
        for (float m : mean) {
            if (!Float.isFinite(m)) {
                throw new IllegalArgumentException("model: expected finite mean, got " + Arrays.toString(mean));
            }
        }
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("model: expected at least one class name");
        }
        classNames = List.copyOf(classNames);
        mean = mean.clone();
        std = std.clone();
    }

    public int classes() {
        return classNames.size();
    }

    public float meanOf(int channel) {
        return mean.length == 1 ? mean[0] : mean[channel];
    }

    public float stdOf(int channel) {
        return std.length == 1 ? std[0] : std[channel];
    }

    public ModelInfo withProvenance(ObjectNode p) {
        return new ModelInfo(formatVersion, architecture, inputShape, mean, std, classNames, p);
    }
}
