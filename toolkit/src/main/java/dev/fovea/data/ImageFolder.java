package dev.fovea.data;

import dev.fovea.image.Fitting;
import dev.fovea.image.Images;
import dev.fovea.image.Resize;
import dev.fovea.io.Limits;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.ShapeException;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A directory of images with one sub-folder per class, as torchvision's {@code ImageFolder}:
 * {@code dir/cat/001.png, dir/dog/002.jpg, ...}. Class names are the sub-folder names sorted by code point (so
 * class indices match torchvision's); images are the files directly inside each sub-folder with extension png,
 * jpg, jpeg, bmp or gif (any case), sorted by name. The samples take the class folders in turn (the first image
 * of each folder, then the second of each, ...), so that the first {@code N} images cover the classes evenly, as
 * the first {@code N} of a shuffled test set do, rather than being all of the first class. Hidden entries (names starting with {@code .}) are skipped;
 * a class folder without images still counts as a class, so the indices of the others do not shift. Every image
 * is read with {@link Images#read(Path)} and fitted with {@link Images#fit}: converted to the sample's channel count
 * (RGB stays RGB for three channels) and brought to its height and width by a {@link Resize} mode (antialiased, as
 * PIL resizes); the data set's {@link Dataset#fitting()} says how many images that resized or converted.
 *
 * <p>Read for a model ({@link #read(Path, Shape, List)} with its class names), the folders are matched to the
 * model's classes by name instead ({@link ClassNames}: case, spaces, {@code _}, {@code -} and {@code /} aside), so
 * the labels are the model's class indices whatever order the folders sort in; the folders may be a subset of the
 * classes, and one that names no class is an error.
 * A folder holds at most {@link Limits#MAX_FOLDER_IMAGES} images, and all of them at most
 * {@link Limits#MAX_ARRAY_VALUES} values; the listing stops at the cap, so a folder of millions of entries costs no
 * more memory than the cap.
 */
public final class ImageFolder {
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolder() {
    }

    /**
     * Reads every image under {@code dir}. {@code sampleShape} is {@code [C,H,W]} with {@code C} 1 or 3, or
     * {@code null} to take the size of the first image and 1 channel if it is grayscale, else 3.
     */
    public static Dataset read(Path dir, Shape sampleShape) throws IOException {
        return read(dir, sampleShape, null);
    }

    /**
     * As {@link #read(Path, Shape)}; with {@code classes} (a model's class names) the sub-folders are matched to
     * them by name ({@link ClassNames#match}), the labels are indices into {@code classes} and the data set's
     * class names are {@code classes}. {@code null} keeps the folders' own sorted order.
     *
     * @throws DataFormatException no images, or a folder that names none of {@code classes}
     */
    public static Dataset read(Path dir, Shape sampleShape, List<String> classes) throws IOException {
        return read(dir, sampleShape, classes, Resize.DEFAULT);
    }

    /** As {@link #read(Path, Shape, List)}, images of another size fitted by {@code resize}. */
    public static Dataset read(Path dir, Shape sampleShape, List<String> classes, Resize resize) throws IOException {
        return read(dir, sampleShape, classes, resize, Limits.MAX_FOLDER_IMAGES);
    }

    /** As {@link #read(Path, Shape, List, Resize)}, with at most {@code maxImages} images (for tests of the cap). */
    static Dataset read(Path dir, Shape sampleShape, List<String> classes, Resize resize, int maxImages) throws IOException {
        if (sampleShape != null && (sampleShape.rank() != 3 || (sampleShape.dim(0) != 1 && sampleShape.dim(0) != 3))) {
            throw new ShapeException("image folder: expected sample shape [C,H,W] with C 1 or 3, got " + sampleShape);
        }
        if (!Files.isDirectory(dir)) {
            throw new DataNotFoundException(dir + ": no such directory");
        }
        List<Path> classDirs = list(dir, Files::isDirectory, Integer.MAX_VALUE);
        List<String> folders = classDirs.stream().map(p -> p.getFileName().toString()).toList();
        int[] index = classes == null ? java.util.stream.IntStream.range(0, folders.size()).toArray()
                : ClassNames.match(dir, folders, classes);
        List<List<Path>> perFolder = new ArrayList<>();
        int listed = 0;
        for (Path classDir : classDirs) {
            List<Path> images = list(classDir, ImageFolder::isImage, maxImages - listed + 1);
            listed += images.size();
            if (listed > maxImages) {
                throw new DataFormatException(dir + ": more than " + maxImages + " images, the most an image folder may hold");
            }
            perFolder.add(images);
        }
        // round robin over the class folders: the first image of each, then the second of each, ...
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (int k = 0; files.size() < listed; k++) {
            for (int i = 0; i < perFolder.size(); i++) {
                if (k < perFolder.get(i).size()) {
                    files.add(perFolder.get(i).get(k));
                    labels.add(index[i]);
                }
            }
        }
        if (files.isEmpty()) {
            throw new DataFormatException(dir + ": no images found (expected one sub-folder per class holding PNG, JPEG,"
                    + " BMP or GIF files)");
        }
        Tensor first = Images.read(files.get(0));
        Shape s = sampleShape != null ? sampleShape : first.shape().tail();
        int c = s.dim(0);
        int h = s.dim(1);
        int w = s.dim(2);
        int per = s.size();
        if ((long) files.size() * per > Limits.MAX_ARRAY_VALUES) {
            throw new DataFormatException(dir + ": " + files.size() + " images of " + s + " are " + (long) files.size() * per
                    + " values, more than one array can hold (" + Limits.MAX_ARRAY_VALUES + ")");
        }
        float[] data = new float[files.size() * per];
        List<Shape> read = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            Tensor raw = i == 0 ? first : Images.read(files.get(i));
            read.add(raw.shape());
            Tensor img = Images.fit(raw, c, h, w, resize);
            System.arraycopy(img.data(), 0, data, i * per, per);
        }
        int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
        return new Dataset(new Tensor(s.withBatch(files.size()), data), y, classes == null ? folders : classes, dir.toString(),
                DataFiles.folder(dir, files), Fitting.of(resize, s, read));
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && Files.isRegularFile(p) && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /** Non-hidden entries of {@code dir} passing {@code filter}, sorted by name: all of them, or {@code max} when there are more. */
    private static List<Path> list(Path dir, Predicate<Path> filter, int max) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".") && filter.test(p))
                    .limit(max)
                    .sorted((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()))
                    .toList();
        }
    }
}
