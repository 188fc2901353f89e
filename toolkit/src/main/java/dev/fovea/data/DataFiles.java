package dev.fovea.data;

import java.nio.file.Path;
import java.util.List;

/**
 * The files a {@link Dataset} was read from, so that a report can give their SHA-256 as {@code sha256sum} prints it
 * ({@link dev.fovea.io.Digests#sha256(DataFiles)}): one images file with its labels file (IDX, {@code .npy}), or the
 * image files of an {@link ImageFolder}, whose labels are the names of their sub-folders.
 *
 * @param folder the image folder the images lie under, or {@code null} when they are one file
 * @param images the images file (one), or the folder's image files in the order they were read
 * @param labels the labels file, or {@code null} for an image folder
 */
public record DataFiles(Path folder, List<Path> images, Path labels) {
    public DataFiles {
        images = List.copyOf(images);
        if (images.isEmpty()) {
            throw new IllegalArgumentException("data files: expected at least one images file, got none");
        }
        if (folder == null && images.size() != 1) {
            throw new IllegalArgumentException("data files: expected one images file outside a folder, got " + images.size());
        }
    }

    /** An images file and its labels file. */
    public static DataFiles of(Path images, Path labels) {
        return new DataFiles(null, List.of(images), labels);
    }

    /** The image files under {@code folder}, labelled by their sub-folders. */
    public static DataFiles folder(Path folder, List<Path> images) {
        return new DataFiles(folder, images, null);
    }
}
