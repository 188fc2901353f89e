package dev.fovea.data;

import dev.fovea.image.Resize;
import dev.fovea.io.Limits;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Resolves a data-set specification to a {@link Dataset}. The forms:
 * <ul>
 *   <li>{@code fashion-mnist}, {@code fashion-mnist:test} (the 10,000 test images) or {@code fashion-mnist:train}
 *       (60,000): the IDX files {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]} (or
 *       {@code train-...}) in the data directory, or in its {@code fashion-mnist} sub-folder. The data directory is
 *       the {@code dataDir} argument if given, else the environment variable
 *       {@value #DATA_DIR_ENV}, else {@code /usr/share/datasets/fashion-mnist} (Debian's
 *       {@code dataset-fashion-mnist} package).</li>
 *   <li>An IDX images file: labels from {@code labelsPath}, else the labels file beside it
 *       ({@link Idx#labelsBeside}).</li>
 *   <li>A directory holding IDX files ({@code *-images-idx3-ubyte[.gz]}): its test split ({@code t10k-} or
 *       {@code test-}), or its train split with a {@code :train} suffix ({@code DIR:train}); a lone IDX images
 *       file of another name is read whatever its prefix.</li>
 *   <li>A {@code .npy} file of images {@code [N,C,H,W]} ({@link Npy#readImages}), with labels from
 *       {@code labelsPath} (required; a {@code .npy} or IDX labels file).</li>
 *   <li>Any other directory: an {@link ImageFolder}, fitted to {@code sampleShape} when given (by a {@link Resize}
 *       mode, center-crop unless another is given); with
 *       {@code classNames} (a model's), its class folders are matched to those names by name
 *       ({@link ClassNames}), not by their sorted order.</li>
 * </ul>
 * Class names come from a {@code classes.txt} beside the images file (one name per line, blank lines skipped, at
 * most {@link Limits#MAX_TEXT_BYTES}),
 * else they are the label numbers: {@code "0".."9"} for IDX files (more if the labels go higher),
 * {@code "0".."K-1"} for {@code .npy} files, {@code K} being the largest label plus one.
 * When {@code sampleShape} is given, data in any other form must already have that per-sample shape.
 */
public final class DataSpec {
    /** Environment variable naming the folder that holds the Fashion-MNIST IDX files. */
    public static final String DATA_DIR_ENV = "FOVEA_DATA";
    /** Where Debian's {@code dataset-fashion-mnist} package installs the IDX files. */
    public static final Path DEFAULT_FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");
    /** The Fashion-MNIST class names, by label (Xiao, Rasul and Vollgraf 2017). */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private static final String FASHION = "fashion-mnist";
    private static final Pattern IDX_IMAGES = Pattern.compile(".*images[-.]idx3-ubyte(\\.gz)?");

    private DataSpec() {
    }

    /** Loads the data set that {@code spec} names with its images as {@code sampleShape} ({@code [C,H,W]}, may be null). */
    public static Dataset load(String spec, Shape sampleShape) throws IOException {
        return load(spec, null, null, sampleShape);
    }

    /**
     * Loads the data set that {@code spec} names; {@code dataDir}, {@code labelsPath} and {@code sampleShape}
     * ({@code [C,H,W]}) may each be {@code null}.
     *
     * @throws DataNotFoundException the data set, a file or a directory is not there (the message says how to get it)
     * @throws DataFormatException a file is there but cannot be used, or its samples are not {@code sampleShape}
     * @throws IllegalArgumentException the specification is malformed, or lacks (or has) a labels file
     */
    public static Dataset load(String spec, Path dataDir, Path labelsPath, Shape sampleShape) throws IOException {
        return load(spec, dataDir, labelsPath, sampleShape, null);
    }

    /**
     * As {@link #load(String, Path, Path, Shape)}, for a model whose class names are {@code classNames} (may be
     * null): an image folder's labels are then indices into {@code classNames}, its folders matched to them by name
     * ({@link ClassNames}). Data of the other forms is read as it is.
     */
    public static Dataset load(String spec, Path dataDir, Path labelsPath, Shape sampleShape, List<String> classNames)
            throws IOException {
        return load(spec, dataDir, labelsPath, sampleShape, classNames, Resize.DEFAULT);
    }

    /**
     * As {@link #load(String, Path, Path, Shape, List)}, the images of an image folder that are not
     * {@code sampleShape}'s size fitted by {@code resize} (data of the other forms must have that size already).
     */
    public static Dataset load(String spec, Path dataDir, Path labelsPath, Shape sampleShape, List<String> classNames, Resize resize)
            throws IOException {
        return load(spec, dataDir, labelsPath, sampleShape, classNames, resize, System.getenv(DATA_DIR_ENV));
    }

    /** {@link #load(String, Path, Path, Shape, List)} with the value of {@value #DATA_DIR_ENV} passed in (for tests). */
    static Dataset load(String spec, Path dataDir, Path labelsPath, Shape sampleShape, List<String> classNames, String envDataDir)
            throws IOException {
        return load(spec, dataDir, labelsPath, sampleShape, classNames, Resize.DEFAULT, envDataDir);
    }

    private static Dataset load(String spec, Path dataDir, Path labelsPath, Shape sampleShape, List<String> classNames, Resize resize,
                                String envDataDir) throws IOException {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("data: expected fashion-mnist[:train|:test], an IDX or .npy file, or a"
                    + " directory, got nothing");
        }
        String s = spec.strip();
        Dataset d;
        if (s.equals(FASHION) || s.startsWith(FASHION + ":")) {
            rejectLabels(s, labelsPath, "Fashion-MNIST has its own labels files");
            Path dir = dataDir != null ? dataDir
                    : envDataDir != null && !envDataDir.isBlank() ? Path.of(envDataDir) : DEFAULT_FASHION_MNIST_DIR;
            d = fashionMnist(s, dir);
        } else {
            d = fromPath(s, labelsPath, sampleShape, classNames, resize);
        }
        if (sampleShape != null && !d.sampleShape().equals(sampleShape)) {
            throw new DataFormatException(s + ": expected samples of shape " + sampleShape + ", got " + d.sampleShape());
        }
        return d;
    }

    private static Dataset fashionMnist(String spec, Path dir) throws IOException {
        String split = spec.equals(FASHION) ? "test" : spec.substring(FASHION.length() + 1);
        if (!split.equals("test") && !split.equals("train")) {
            throw new IllegalArgumentException("data: expected fashion-mnist, fashion-mnist:train or fashion-mnist:test,"
                    + " got '" + spec + "'");
        }
        String prefix = split.equals("train") ? "train" : "t10k";
        for (Path d : List.of(dir, dir.resolve(FASHION))) {
            Path images = existing(d, prefix + "-images-idx3-ubyte");
            if (images != null) {
                Path labels = existing(d, prefix + "-labels-idx1-ubyte");
                if (labels == null) {
                    throw new DataNotFoundException(FASHION + ": found " + images + " but not " + prefix
                            + "-labels-idx1-ubyte[.gz] beside it");
                }
                return Idx.read(images, labels, FASHION_MNIST_CLASSES, FASHION + ":" + split + " (" + d + ")");
            }
        }
        throw new DataNotFoundException(FASHION + ": not found in " + dir + " (install it with 'apt-get install"
                + " dataset-fashion-mnist', or point --data-dir / " + DATA_DIR_ENV + " at a folder holding the IDX files)");
    }

    /** {@code dir/name}, else {@code dir/name.gz}, else null. */
    private static Path existing(Path dir, String name) {
        for (String n : List.of(name, name + ".gz")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Dataset fromPath(String spec, Path labelsPath, Shape sampleShape, List<String> classNames, Resize resize)
            throws IOException {
        Path p = path(spec);
        String split = null;
        int colon = spec.lastIndexOf(':');
        if (!Files.exists(p) && colon > 0) {
            String suffix = spec.substring(colon + 1);
            Path dir = path(spec.substring(0, colon));
            if ((suffix.equals("train") || suffix.equals("test")) && Files.isDirectory(dir)) {
                p = dir;
                split = suffix;
            }
        }
        if (!Files.exists(p)) {
            throw new DataNotFoundException(spec + ": no such file or directory");
        }
        if (Files.isDirectory(p)) {
            List<Path> idx = idxImages(p);
            if (!idx.isEmpty()) {
                return idxFile(pickSplit(p, idx, split), labelsPath);
            }
            if (split != null) {
                throw new IllegalArgumentException(spec + ": a :" + split + " suffix applies to a directory of IDX files,"
                        + " and " + p + " holds none");
            }
            rejectLabels(spec, labelsPath, "an image folder takes its labels from its sub-folder names");
            return ImageFolder.read(p, sampleShape, classNames, resize);
        }
        if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            if (labelsPath == null) {
                throw new IllegalArgumentException(spec + ": images in a .npy file need a labels file (a 1-D integer .npy,"
                        + " one label per image)");
            }
            Tensor images = Npy.readImages(p);
            int[] labels = readLabels(labelsPath);
            return Samples.join(p, images, labelsPath, labels, classNames(p, labels, 0), p.toString());
        }
        return idxFile(p, labelsPath);
    }

    private static Path path(String s) {
        try {
            return Path.of(s);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("data: expected fashion-mnist[:train|:test] or a path, got '" + s + "'");
        }
    }

    private static Dataset idxFile(Path images, Path labelsPath) throws IOException {
        Path labelsFile = labelsPath != null ? labelsPath : Idx.labelsBeside(images);
        Tensor x = Idx.readImages(images);
        int[] labels = readLabels(labelsFile);
        return Samples.join(images, x, labelsFile, labels, classNames(images, labels, 10), images.toString());
    }

    /** IDX images files directly in {@code dir}, sorted by name (so a raw file comes before its {@code .gz}). */
    private static List<Path> idxImages(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> IDX_IMAGES.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f))
                    .sorted()
                    .toList();
        }
    }

    private static Path pickSplit(Path dir, List<Path> idx, String split) throws DataNotFoundException {
        List<String> prefixes = "train".equals(split) ? List.of("train") : List.of("t10k", "test");
        for (Path f : idx) {
            for (String prefix : prefixes) {
                if (f.getFileName().toString().startsWith(prefix)) {
                    return f;
                }
            }
        }
        if (split == null && idx.stream().map(f -> f.getFileName().toString().replace(".gz", "")).distinct().count() == 1) {
            return idx.get(0);
        }
        List<String> names = idx.stream().map(f -> f.getFileName().toString()).toList();
        throw new DataNotFoundException(dir + ": expected " + String.join(" or ", prefixes)
                + "-images-idx3-ubyte[.gz] among its IDX files, got " + names);
    }

    private static int[] readLabels(Path labelsPath) throws IOException {
        boolean npy = labelsPath.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy");
        return npy ? Npy.readLabels(labelsPath) : Idx.readLabels(labelsPath);
    }

    /**
     * The names in {@code classes.txt} beside {@code imagesPath}, else {@code "0".."K-1"} with {@code K} at least
     * {@code minCount} and more than the largest label.
     */
    static List<String> classNames(Path imagesPath, int[] labels, int minCount) throws IOException {
        Path file = imagesPath.toAbsolutePath().resolveSibling("classes.txt");
        if (Files.isRegularFile(file)) {
            byte[] text = Limits.readText(file);
            if (text == null) {
                throw new DataFormatException(file + ": class-names file of " + Limits.describeSize(file));
            }
            List<String> names = new ArrayList<>();
            for (String line : new String(text, StandardCharsets.UTF_8).split("\\R")) {
                if (!line.isBlank()) {
                    names.add(line.strip());
                }
            }
            return names;
        }
        int k = minCount;
        for (int y : labels) {
            k = Math.max(k, y + 1);
        }
        List<String> names = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            names.add(Integer.toString(i));
        }
        return names;
    }

    private static void rejectLabels(String spec, Path labelsPath, String why) {
        if (labelsPath != null) {
            throw new IllegalArgumentException(spec + ": a separate labels file (" + labelsPath + ") is not used here: " + why);
        }
    }
}
