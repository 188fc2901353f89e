package dev.fovea.data;

import dev.fovea.image.Fitting;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.util.List;

/**
 * Labelled images in memory: {@code images} is {@code [N,C,H,W]} float32 with pixel values in {@code [0,1]},
 * {@code labels[i]} in {@code [0, classNames.size())}. {@code source} says where the data came from and
 * {@code files} which files it was read from ({@code null} for data made in memory), for reports; a selection
 * ({@link #limit}, {@link #perClass}) keeps both, as the files the selection was made from. {@code fitting}, for
 * data read from image files, says how the files were fitted to the sample shape (resize mode, how many were resized
 * or converted; of all the files read, before {@link #limit} or {@link #perClass}), else null.
 */
public record Dataset(Tensor images, int[] labels, List<String> classNames, String source, DataFiles files, Fitting fitting) {
    /** Data not read from files, or whose files are not known. */
    public Dataset(Tensor images, int[] labels, List<String> classNames, String source) {
        this(images, labels, classNames, source, null, null);
    }

    /** Data read from {@code files} that needed no fitting (arrays, IDX files). */
    public Dataset(Tensor images, int[] labels, List<String> classNames, String source, DataFiles files) {
        this(images, labels, classNames, source, files, null);
    }

    public Dataset {
        images.shape().requireRank(4, "dataset", "images [N,C,H,W]");
        if (labels.length != images.dim(0)) {
            throw new ShapeException("dataset: expected " + images.dim(0) + " labels for images " + images.shape() + ", got " + labels.length);
        }
        classNames = List.copyOf(classNames);
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new IllegalArgumentException("dataset: label " + labels[i] + " of sample " + i + " is outside [0," + classNames.size() + ")");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    /** Per-sample shape {@code [C,H,W]}. */
    public Shape sampleShape() {
        return images.shape().tail();
    }

    /**
     * The first {@code n} samples of each class (all of a class that has fewer), in their order: of an image folder
     * read class by class, the first {@code n} files of each class folder.
     */
    public Dataset perClass(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("dataset: expected at least 1 sample per class, got " + n);
        }
        int[] seen = new int[classNames.size()];
        int[] keep = new int[labels.length];
        int m = 0;
        for (int i = 0; i < labels.length; i++) {
            if (seen[labels[i]]++ < n) {
                keep[m++] = i;
            }
        }
        if (m == labels.length) {
            return this;
        }
        keep = java.util.Arrays.copyOf(keep, m);
        int[] y = new int[m];
        for (int i = 0; i < m; i++) {
            y[i] = labels[keep[i]];
        }
        return new Dataset(images.gather(keep), y, classNames, source, files, fitting);
    }

    /** The first {@code n} samples (all when {@code n} is larger). */
    public Dataset limit(int n) {
        if (n >= size()) {
            return this;
        }
        return new Dataset(images.slice(0, n), java.util.Arrays.copyOf(labels, n), classNames, source, files, fitting);
    }
}
