package dev.fovea.model;

import dev.fovea.io.Limits;
import dev.fovea.io.ModelFormatException;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Opens any model fovea reads as a {@link Classifier}, on a {@link Backend} found by {@link ServiceLoader}: a
 * {@code .fovea} file on the own engine (or on libtorch when asked for), a TorchScript file ({@code .pt},
 * {@code .ts}, {@code .pth}, or a {@code .zip} from {@code torch.jit.save}) on libtorch.
 *
 * <p>The choice is made here, from the file's extension alone: the backend asked for in the options when it opens
 * the extension, else the one backend whose own format it is ({@link Backend#formats()}). A model whose format
 * holds no metadata (TorchScript) is described by a sidecar JSON file beside it, overridden field by field by the
 * options ({@link Sidecar}).
 */
public final class ModelLoader {
    /**
     * How to open a model. {@code backend} null means the backend of the file's format; {@code inputShape}
     * ({@code [C,H,W]}), {@code mean}, {@code std} and {@code classNames} describe models whose format has no
     * metadata, and may each be null (then the sidecar's are used).
     */
    public record Options(Backend backend, Device device, int batchSize, Shape inputShape, float[] mean, float[] std,
                          List<String> classNames) {
        /** Samples per forward pass unless told otherwise. */
        public static final int DEFAULT_BATCH_SIZE = 64;

        public Options {
            Objects.requireNonNull(device, "device");
            if (batchSize < 1) {
                throw new InvalidOptionException("batchSize", "batchSize must be at least 1, got " + batchSize);
            }
            if (inputShape != null && inputShape.rank() != 3) {
                throw new InvalidOptionException("inputShape", "inputShape must be [C,H,W], got " + inputShape);
            }
            mean = mean == null ? null : mean.clone();
            std = std == null ? null : std.clone();
            classNames = classNames == null ? null : List.copyOf(classNames);
        }

        /** The file's own backend, on the CPU, {@value #DEFAULT_BATCH_SIZE} samples per pass, no metadata. */
        public static Options defaults() {
            return new Options(null, Device.CPU, DEFAULT_BATCH_SIZE, null, null, null, null);
        }

        public Options withBackend(Backend b) {
            return new Options(b, device, batchSize, inputShape, mean, std, classNames);
        }

        public Options withDevice(Device d) {
            return new Options(backend, d, batchSize, inputShape, mean, std, classNames);
        }

        public Options withBatchSize(int n) {
            return new Options(backend, device, n, inputShape, mean, std, classNames);
        }

        /** These options with the metadata of a model whose format has none; any of the four may be null. */
        public Options withMetadata(Shape shape, float[] m, float[] s, List<String> names) {
            return new Options(backend, device, batchSize, shape, m, s, names);
        }

        /** Whether any of {@code inputShape}, {@code mean}, {@code std} and {@code classNames} is given. */
        public boolean hasMetadata() {
            return inputShape != null || mean != null || std != null || classNames != null;
        }

        /** Throws when metadata is given for {@code file}, whose format carries its own. */
        public void requireNoMetadata(Path file) {
            if (hasMetadata()) {
                throw new InvalidOptionException("inputShape", "inputShape, mean, std and classNames describe TorchScript models; "
                        + file + " carries its own metadata", "mean", "std", "classNames");
            }
        }
    }

    private ModelLoader() {
    }

    /** Opens {@code file} with {@link Options#defaults()}. */
    public static Classifier open(Path file) throws IOException {
        return open(file, Options.defaults());
    }

    /**
     * Opens {@code file} on the backend {@link #backendFor} chooses.
     *
     * @throws NoSuchFileException there is no such file
     * @throws ModelFormatException no backend opens files of its extension, or the file cannot be used
     * @throws InvalidOptionException the backend asked for cannot open the file, or an option does not fit it
     */
    public static Classifier open(Path file, Options options) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such model file");
        }
        return backendFor(file, options).open(file, options);
    }

    /**
     * Runs a network of the own engine, built or changed in memory, on the backend asked for, else on the backend
     * of {@code .fovea} files.
     */
    public static Classifier open(Network network, Options options) throws IOException {
        Backend b = options.backend() != null ? options.backend() : ownerOf(ModelFile.EXTENSION, "a network in memory");
        return b.open(network, options);
    }

    /**
     * The backend that opens {@code file} with {@code options}: the one asked for when it opens the file's
     * extension, else the one whose own format the extension is.
     */
    public static Backend backendFor(Path file, Options options) throws IOException {
        String ext = extension(file);
        Backend asked = options.backend();
        if (asked == null) {
            return ownerOf(ext, file.toString());
        }
        if (!asked.opens().contains(ext)) {
            List<Backend> others = backends().stream().filter(b -> b.opens().contains(ext)).toList();
            throw new InvalidOptionException("backend", "backend " + asked.name() + " cannot open " + file + " (it opens " + sorted(asked.opens())
                    + (others.isEmpty() ? "" : "; " + what(ext) + " open on " + names(others)) + ")");
        }
        return asked;
    }

    /** The one backend whose own format {@code ext} is; {@code where} names what is opened, for the errors. */
    private static Backend ownerOf(String ext, String where) throws IOException {
        List<Backend> all = backends();
        List<Backend> owners = all.stream().filter(b -> b.formats().contains(ext)).toList();
        if (owners.size() == 1) {
            return owners.get(0);
        }
        if (owners.size() > 1) {
            throw new InvalidOptionException("backend", "backend: " + names(owners) + " all run " + what(ext) + "; ask for one of them by name");
        }
        List<Backend> openers = all.stream().filter(b -> b.opens().contains(ext)).toList();
        if (!openers.isEmpty()) {
            throw new InvalidOptionException("backend", "backend: no backend runs " + what(ext) + " unless asked for; ask for " + names(openers));
        }
        String known = all.stream().map(b -> b.name() + " opens " + sorted(b.opens())).collect(Collectors.joining("; "));
        throw new ModelFormatException(where + ": no backend opens " + what(ext) + " (" + (known.isEmpty() ? "no backends found" : known) + ")");
    }

    /**
     * The backends on the class path, by name: those listed in {@code META-INF/services/dev.fovea.model.Backend}
     * files, found through the thread's context class loader.
     */
    public static List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        for (Backend b : ServiceLoader.load(Backend.class)) {
            for (Backend seen : out) {
                if (seen.name().equals(b.name())) {
                    throw new IllegalStateException("backend: two backends are named " + b.name() + ": " + seen.getClass().getName()
                            + " and " + b.getClass().getName());
                }
            }
            out.add(b);
        }
        out.sort(Comparator.comparing(Backend::name));
        return out;
    }

    /**
     * The backend named {@code name} (case-insensitive).
     *
     * @throws InvalidOptionException no backend of that name is on the class path
     */
    public static Backend backend(String name) {
        List<Backend> all = backends();
        for (Backend b : all) {
            if (b.name().equalsIgnoreCase(name)) {
                return b;
            }
        }
        throw new InvalidOptionException("backend", "backend " + name + " is not on the class path (backends: " + names(all) + ")");
    }

    /** The file name's extension, lower case with the dot, or {@code ""} when it has none. */
    static String extension(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(dot) : "";
    }

    private static String what(String ext) {
        return ext.isEmpty() ? "files without an extension" : ext + " files";
    }

    private static String names(List<Backend> backends) {
        return backends.isEmpty() ? "none" : backends.stream().map(Backend::name).collect(Collectors.joining(", "));
    }

    private static String sorted(java.util.Set<String> exts) {
        return exts.stream().sorted().collect(Collectors.joining(", "));
    }

    /** Reads a class-names file: one name per line, blank lines skipped; at most {@link Limits#MAX_TEXT_BYTES}. */
    public static List<String> readClasses(Path file) throws IOException {
        byte[] text = Limits.readText(file);
        if (text == null) {
            throw new ModelFormatException(file + ": class-names file of " + Limits.describeSize(file));
        }
        List<String> out = new ArrayList<>();
        for (String line : new String(text, java.nio.charset.StandardCharsets.UTF_8).split("\\R")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        if (out.isEmpty()) {
            throw new ModelFormatException(file + ": no class names");
        }
        return out;
    }
}
