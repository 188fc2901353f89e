package dev.fovea.audit.report;

import dev.fovea.audit.ProgressListener;
import dev.fovea.audit.run.CorruptionRun;
import dev.fovea.data.Npy;
import dev.fovea.image.Images;
import dev.fovea.image.corrupt.Corruption;
import dev.fovea.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a data set corrupted by every corruption and severity of a {@link CorruptionRun} (the images its run
 * classifies: same seed, same per-image draws), for other tools. {@link Layout#NPY}: {@code clean.npy} and
 * {@code CORRUPTION_sSEVERITY.npy}, each {@code [N,C,H,W]} float32 in [0,1], and {@code labels.npy} (int64
 * {@code [N]}); {@link Layout#PNG}: an image folder per corruption and severity, {@code CORRUPTION/SEVERITY/CLASS/NNNNN.png}
 * (8 bits per channel; class folders named after the classes, {@code /} and other characters a file name cannot hold
 * as {@code _}, which {@code --data} reads back by name). Both write {@code corruptions.json}: what each file
 * holds, with the parameters.
 */
public final class CorruptionExport {
    /** How the corrupted images are written. */
    public enum Layout {
        NPY, PNG
    }

    /** One exported corruption and severity. */
    public record Entry(String corruption, int severity, String parameters, String path) {
    }

    /** The manifest. */
    public record Manifest(int n, List<Integer> imageShape, long seed, String layout, String labels, List<String> classNames, List<Entry> files,
                           Provenance provenance) {
    }

    private CorruptionExport() {
    }

    /**
     * Writes every corruption and severity of {@code plan} on images {@code x} ({@code [N,C,H,W]}) with labels
     * {@code y} into {@code dir} (an empty folder); {@code progress} gets one step per corruption and severity.
     * Returns the manifest it wrote.
     */
    public static Manifest write(Path dir, CorruptionRun plan, Tensor x, int[] y, List<String> classNames, Layout layout, Provenance provenance,
                                 ProgressListener progress) throws IOException {
        plan.check(x.shape().tail());
        if (plan.limit() != null && plan.limit() < y.length) {
            x = x.slice(0, plan.limit());
            y = java.util.Arrays.copyOf(y, plan.limit());
        }
        int h = x.dim(2);
        int w = x.dim(3);
        List<Entry> entries = new ArrayList<>();
        long cells = plan.corruptions().stream().mapToLong(c -> plan.severitiesOf(c).size()).sum();
        if (layout == Layout.NPY) {
            Npy.write(dir.resolve("clean.npy"), x);
            Npy.writeLabels(dir.resolve("labels.npy"), y);
        } else {
            writePngs(dir.resolve("clean"), x, y, classNames);
        }
        try (ProgressListener.Task bar = progress.start("export", cells, "cell")) {
            for (Corruption<?> c : plan.corruptions()) {
                for (int s : plan.severitiesOf(c)) {
                    Tensor out = plan.corrupt(x, c, s);
                    String path;
                    if (layout == Layout.NPY) {
                        path = c.name() + "_s" + s + ".npy";
                        Npy.write(dir.resolve(path), out);
                    } else {
                        path = c.name() + "/" + s;
                        writePngs(dir.resolve(c.name()).resolve(Integer.toString(s)), out, y, classNames);
                    }
                    entries.add(new Entry(c.name(), s, c.describeParameters(s, h, w), path));
                    bar.step(1, c.name() + " " + s);
                }
            }
        }
        int[] dims = x.shape().tail().dims();
        Manifest m = new Manifest(y.length, java.util.Arrays.stream(dims).boxed().toList(), plan.seed(), layout.name().toLowerCase(Locale.ROOT),
                layout == Layout.NPY ? "labels.npy" : null, classNames, entries, provenance);
        Json.write(dir.resolve("corruptions.json"), m);
        return m;
    }

    /** {@code name} as a folder name: {@code /}, {@code \}, control and other characters file systems refuse become {@code _}. */
    public static String folderName(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            b.append(ch < 32 || "/\\:*?\"<>|".indexOf(ch) >= 0 ? '_' : ch);
        }
        String s = b.toString().strip();
        return s.isEmpty() || s.equals(".") || s.equals("..") ? "_" + s : s;
    }

    private static void writePngs(Path dir, Tensor x, int[] y, List<String> classNames) throws IOException {
        int per = x.shape().sizeFrom(1);
        var shape = x.shape().tail();
        for (int i = 0; i < y.length; i++) {
            Path folder = dir.resolve(folderName(classNames.get(y[i])));
            Files.createDirectories(folder);
            float[] d = java.util.Arrays.copyOfRange(x.data(), i * per, (i + 1) * per);
            Images.writePng(folder.resolve(String.format(Locale.ROOT, "%05d.png", i)), new Tensor(shape, d));
        }
    }
}
