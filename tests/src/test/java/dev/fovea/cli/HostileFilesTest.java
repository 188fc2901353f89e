package dev.fovea.cli;

import dev.fovea.data.FixturePaths;
import dev.fovea.io.HostileFiles;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input, one row per case: small files that claim or inflate to huge sizes, and option values that would
 * multiply memory. Each row runs the command line in a child JVM with a 256 MiB heap, which it must not exhaust,
 * and expects exit code 3 (unusable input) or 2 (usage), one line on stderr naming the file or flag and the problem,
 * no stack trace, nothing on stdout and nothing left behind in the folder of the run.
 */
class HostileFilesTest {
    private static final String CONVNET = FixturePaths.fixture("models", "convnet.fovea").toString();
    private static final String SLICE = FixturePaths.fixture("data", "fashion-mnist-1k").toString();
    private static final String HUGE = "2000000000";

    @TempDir
    Path dir;

    /** Makes the row's input files in {@code dir} and returns the command line. */
    @FunctionalInterface
    interface Craft {
        String[] args(Path dir) throws IOException;
    }

    /** A named hostile input: how to make it, the exit code it must give, and what its one line must say. */
    record Row(String name, Craft craft, int code, List<String> says) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, int code, List<String> says, Craft craft) {
        return new Row(name, craft, code, says);
    }

    static Stream<Row> rows() {
        return Stream.of(
                row("fovea: weights entry inflating to 3 GiB, its header saying 1 KB", 3, List.of("bomb.fovea", "weights.safetensors"), d -> {
                    Path f = d.resolve("bomb.fovea");
                    HostileFiles.zip(f, HostileFiles.Entry.of("model.json", modelJson()),
                            new HostileFiles.Entry("weights.safetensors", HostileFiles.deflatedRun((byte) 0, 3L << 30), 1000, 0));
                    return args("inspect", "--model", f);
                }),
                row("fovea: model.json inflating to 300 MB of spaces", 3, List.of("spaces.fovea", "model.json"), d -> {
                    Path f = d.resolve("spaces.fovea");
                    HostileFiles.zip(f, new HostileFiles.Entry("model.json", HostileFiles.deflatedRun((byte) ' ', 300L << 20), 300L << 20, 0),
                            HostileFiles.Entry.of("weights.safetensors", emptySafetensors()));
                    return args("inspect", "--model", f);
                }),
                row("fovea: a 1 KB architecture of 784 million parameters", 3, List.of("wide.fovea", "parameters"), d -> {
                    Path f = d.resolve("wide.fovea");
                    var json = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(modelJson());
                    var layers = ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("architecture")).putArray("layers");
                    layers.addObject().put("type", "flatten");
                    layers.addObject().put("type", "linear").put("out_features", 1_000_000);
                    layers.addObject().put("type", "linear").put("out_features", "classes");
                    HostileFiles.zip(f, HostileFiles.Entry.of("model.json", json.toString().getBytes(StandardCharsets.UTF_8)),
                            HostileFiles.Entry.of("weights.safetensors", emptySafetensors()));
                    return args("inspect", "--model", f);
                }),
                row("safetensors: header declaring a 100000 x 100000 tensor", 3, List.of("huge-tensor.fovea", "0.weight"), d -> {
                    Path f = d.resolve("huge-tensor.fovea");
                    String header = "{\"0.weight\":{\"dtype\":\"F32\",\"shape\":[100000,100000],\"data_offsets\":[0,40000000000]}}";
                    HostileFiles.zip(f, HostileFiles.Entry.of("model.json", modelJson()), HostileFiles.Entry.of("weights.safetensors", safetensors(header)));
                    return args("inspect", "--model", f);
                }),
                row("idx: header claiming 2,000,000 images in a 784 KB file", 3, List.of("t10k-images-idx3-ubyte", "2000000"), d -> {
                    Path f = d.resolve("t10k-images-idx3-ubyte");
                    HostileFiles.idx(f, 0x803, new int[] {2_000_000, 28, 28}, new byte[1000 * 784], false);
                    HostileFiles.idx(d.resolve("t10k-labels-idx1-ubyte"), 0x801, new int[] {1000}, new byte[1000], false);
                    return args("eval", "--model", CONVNET, "--data", f);
                }),
                row("idx.gz: header claiming 2,000,000 images in a gzip of 1000", 3, List.of("t10k-images-idx3-ubyte.gz", "2000000"), d -> {
                    Path f = d.resolve("t10k-images-idx3-ubyte.gz");
                    HostileFiles.idx(f, 0x803, new int[] {2_000_000, 28, 28}, new byte[1000 * 784], true);
                    HostileFiles.idx(d.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, new int[] {1000}, new byte[1000], true);
                    return args("eval", "--model", CONVNET, "--data", f);
                }),
                row("idx.gz: labels header claiming 2,000,000,000 labels", 3, List.of("t10k-labels-idx1-ubyte.gz", HUGE), d -> {
                    Path f = d.resolve("t10k-images-idx3-ubyte.gz");
                    HostileFiles.idx(f, 0x803, new int[] {10, 28, 28}, new byte[10 * 784], true);
                    HostileFiles.idx(d.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, new int[] {2_000_000_000}, new byte[10], true);
                    return args("eval", "--model", CONVNET, "--data", f);
                }),
                row("npy: header shape (2000000, 1, 28, 28) on 1000 images", 3, List.of("x.npy", "2000000"), d -> {
                    HostileFiles.npy(d.resolve("x.npy"), "{'descr': '|u1', 'fortran_order': False, 'shape': (2000000, 1, 28, 28), }", new byte[1000 * 784]);
                    HostileFiles.npy(d.resolve("y.npy"), "{'descr': '|u1', 'fortran_order': False, 'shape': (1000,), }", new byte[1000]);
                    return args("eval", "--model", CONVNET, "--data", d.resolve("x.npy"), "--labels", d.resolve("y.npy"));
                }),
                row("npy: shape whose product overflows 64 bits", 3, List.of("x.npy"), d -> {
                    HostileFiles.npy(d.resolve("x.npy"), "{'descr': '<f4', 'fortran_order': False, 'shape': (65536, 65536, 65536, 65536), }", new byte[0]);
                    HostileFiles.npy(d.resolve("y.npy"), "{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", new byte[1]);
                    return args("eval", "--model", CONVNET, "--data", d.resolve("x.npy"), "--labels", d.resolve("y.npy"));
                }),
                row("png: 40000 x 40000 pixels in 1.5 MB", 3, List.of("big.png", "40000x40000"), d -> {
                    HostileFiles.blackPng(d.resolve("big.png"), 40000, 40000);
                    return args("predict", "--model", CONVNET, d.resolve("big.png"));
                }),
                row("jpeg: frame header claiming 40000 x 40000", 3, List.of("big.jpg", "40000x40000"), d -> {
                    HostileFiles.jpegClaiming(d.resolve("big.jpg"), 40000, 40000);
                    return args("predict", "--model", CONVNET, d.resolve("big.jpg"));
                }),
                row("image folder: a class folder holding the 40000 x 40000 PNG", 3, List.of("big.png", "40000x40000"), d -> {
                    Path sneaker = Files.createDirectories(d.resolve("images").resolve("Sneaker"));
                    HostileFiles.blackPng(sneaker.resolve("big.png"), 40000, 40000);
                    return args("eval", "--model", CONVNET, "--data", d.resolve("images"));
                }),
                row("sidecar: 12 MB of JSON numbers beside a TorchScript file", 3, List.of("m.json"), d -> {
                    Files.write(d.resolve("m.pt"), new byte[] {'P', 'K', 3, 4});
                    Files.writeString(d.resolve("m.json"), "[" + "0,".repeat(6_000_000) + "0]");
                    return args("inspect", "--model", d.resolve("m.pt"));
                }),
                row("classes file: 12 MB of one-letter lines", 3, List.of("names.txt"), d -> {
                    Files.write(d.resolve("m.pt"), new byte[] {'P', 'K', 3, 4});
                    Files.writeString(d.resolve("names.txt"), "a\n".repeat(6_000_000));
                    return args("inspect", "--model", d.resolve("m.pt"), "--input-shape", "1,28,28", "--classes", d.resolve("names.txt"));
                }),
                row("explain integrated-gradients --steps 2000000000", 2, List.of("--steps"), d ->
                        args("explain", "integrated-gradients", "--model", CONVNET, "--data", SLICE, "--limit", "1", "--steps", HUGE, "--out", d.resolve("out"))),
                row("explain smoothgrad --samples 2000000000", 2, List.of("--samples"), d ->
                        args("explain", "smoothgrad", "--model", CONVNET, "--data", SLICE, "--limit", "2", "--samples", HUGE, "--out", d.resolve("out"))),
                row("explain plane --points 2000000000", 2, List.of("--points"), d ->
                        args("explain", "plane", "--points", HUGE, "--out", d.resolve("out"))),
                row("explain plane --wide 2000000000", 2, List.of("--wide"), d ->
                        args("explain", "plane", "--wide", HUGE, "--epochs", "1", "--out", d.resolve("out"))),
                row("explain visualize --steps 2000000000", 2, List.of("--steps"), d ->
                        args("explain", "visualize", "--model", CONVNET, "--class", "Bag", "--steps", HUGE, "--out", d.resolve("out"))),
                row("explain visualize --starts 2000000000", 2, List.of("--starts"), d ->
                        args("explain", "visualize", "--model", CONVNET, "--class", "Bag", "--starts", HUGE, "--out", d.resolve("out"))),
                row("attack apgd-ce --steps 2000000000", 2, List.of("--steps"), d ->
                        args("attack", "--model", CONVNET, "--data", SLICE, "--limit", "2", "--method", "apgd-ce", "--eps", "0.03", "--steps", HUGE,
                                "--out", d.resolve("out"))),
                row("bench --batch-size 2000000000", 2, List.of("--batch-size"), d ->
                        args("bench", "--arch", "mlp", "--batch-size", HUGE, "--seconds", "0.1")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusedInOneLineWithinTheHeap(Row row) throws Exception {
        String[] args = row.craft().args(dir);
        List<Path> before = listing();
        ChildRun r = ChildRun.of(256, 120, args);
        assertFalse(r.timedOut(), "timed out: " + r);
        assertFalse(r.outOfMemory(), "ran out of heap: " + r);
        assertEquals(row.code(), r.code(), r.toString());
        assertEquals(1, r.errLines(), "exactly one line on stderr: " + r);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread"), "no stack trace: " + r);
        for (String s : row.says()) {
            assertTrue(r.err().contains(s), "stderr names '" + s + "': " + r);
        }
        assertTrue(r.out().isBlank(), "nothing on stdout: " + r);
        assertEquals(before, listing(), "nothing left behind: " + r);
    }

    private List<Path> listing() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.sorted().toList();
        }
    }

    private static String[] args(Object... a) {
        return Stream.of(a).map(Object::toString).toArray(String[]::new);
    }

    /** The bundled convnet's model.json. */
    private static byte[] modelJson() throws IOException {
        try (ZipFile z = new ZipFile(CONVNET); InputStream in = z.getInputStream(z.getEntry("model.json"))) {
            return in.readAllBytes();
        }
    }

    private static byte[] emptySafetensors() {
        return safetensors("{}");
    }

    /** A safetensors file of {@code header} and no data. */
    private static byte[] safetensors(String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(8 + h.length).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array();
    }
}
