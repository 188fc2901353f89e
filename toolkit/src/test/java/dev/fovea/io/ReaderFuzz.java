package dev.fovea.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.DataFormatException;
import dev.fovea.data.Idx;
import dev.fovea.data.Npy;
import dev.fovea.image.Images;
import dev.fovea.model.Architecture;
import dev.fovea.model.ModelFile;
import dev.fovea.model.Network;
import dev.fovea.nn.StateTensor;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Feeds the readers (safetensors, {@code .npy}, IDX raw and gzip, {@code .fovea}, PNG and JPEG) random mutations of
 * small valid files: bit flips, truncations, inserted and deleted bytes, copied runs, header fields overwritten with
 * boundary values, numbers in text headers replaced by huge ones, and, inside a {@code .fovea}, mutated entries
 * zipped again with valid CRCs. Each call runs on a worker thread with a time limit; it must return or throw one of
 * the readers' documented exceptions ({@link DataFormatException}, {@link ModelFormatException}), and allocate at
 * most {@link #budget} bytes (measured per thread). Run in a JVM with a small heap by {@code ReaderFuzzTest}.
 *
 * <p>Arguments: seed, cases per seed file, scratch folder. Prints one line per failure, then a summary line per
 * format and a last line {@code cases N failures F}; exits 1 when a case failed, 2 when one hung.
 */
public final class ReaderFuzz {
    private static final long TIME_LIMIT_MS = 10_000;

    /** A reader under test, given the mutated bytes and a file holding them. */
    @FunctionalInterface
    interface Reader {
        void read(byte[] bytes, Path file) throws Exception;
    }

    /** A valid file to mutate, the reader that takes it, and the file name it is written to. */
    record Seed(String name, byte[] bytes, String fileName, Reader reader, boolean zipped) {
    }

    private ReaderFuzz() {
    }

    /** The bytes a case may allocate: 16 MiB plus 256 times the file (decoders expand; the readers must not do worse). */
    static long budget(int length) {
        return (16L << 20) + 256L * length;
    }

    public static void main(String[] args) throws Exception {
        long seed = Long.parseLong(args[0]);
        int cases = Integer.parseInt(args[1]);
        Path dir = Path.of(args[2]);
        Files.createDirectories(dir);
        List<Seed> seeds = seeds(dir);
        SplittableRandom rng = new SplittableRandom(seed);
        ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz");
            t.setDaemon(true);
            return t;
        });
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int failures = 0;
        int total = 0;
        long start = System.nanoTime();
        for (Seed s : seeds) {
            int refused = 0;
            long maxAlloc = 0;
            for (int c = 0; c < cases; c++) {
                SplittableRandom r = rng.split();
                String[] how = new String[1];
                byte[] bytes = s.zipped() && r.nextBoolean() ? mutateEntry(s.bytes(), r, how) : mutate(s.bytes(), r, how);
                Path file = dir.resolve(total + "-" + s.fileName());
                Files.write(file, bytes);
                String label = s.name() + " case " + c + " (" + how[0] + ", " + bytes.length + " bytes)";
                long[] allocated = new long[1];
                Future<Throwable> f = worker.submit(() -> {
                    long before = threads.getCurrentThreadAllocatedBytes();
                    try {
                        s.reader().read(bytes, file);
                        return null;
                    } catch (Throwable t) {
                        return t;
                    } finally {
                        allocated[0] = threads.getCurrentThreadAllocatedBytes() - before;
                    }
                });
                Throwable t;
                try {
                    t = f.get(TIME_LIMIT_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    System.out.println("HANG " + label + " after " + TIME_LIMIT_MS + " ms");
                    System.out.println("cases " + (total + 1) + " failures " + (failures + 1));
                    System.exit(2);
                    return;
                }
                total++;
                Files.deleteIfExists(file);
                maxAlloc = Math.max(maxAlloc, allocated[0]);
                if (t instanceof DataFormatException || t instanceof ModelFormatException) {
                    refused++;
                } else if (t != null) {
                    failures++;
                    StackTraceElement at = t.getStackTrace().length > 0 ? t.getStackTrace()[0] : null;
                    System.out.println("FAIL " + label + ": " + t + (at == null ? "" : " at " + at));
                }
                if (allocated[0] > budget(bytes.length)) {
                    failures++;
                    System.out.println("FAIL " + label + ": allocated " + allocated[0] + " bytes, more than " + budget(bytes.length)
                            + (t == null ? "" : " (then " + t + ")"));
                }
            }
            System.out.printf(Locale.ROOT, "%-16s %5d cases, %5d refused, most allocated by one case %.1f MB%n", s.name(), cases, refused,
                    maxAlloc / 1e6);
        }
        System.out.printf(Locale.ROOT, "cases %d failures %d seconds %.1f%n", total, failures, (System.nanoTime() - start) / 1e9);
        System.exit(failures == 0 ? 0 : 1);
    }

    /** The valid files: their readers are the ones fovea uses on each format. */
    static List<Seed> seeds(Path dir) throws IOException {
        List<Seed> out = new ArrayList<>();
        Map<String, StateTensor> state = new LinkedHashMap<>();
        state.put("0.weight", StateTensor.of("0.weight", Shape.of(2, 3), new float[] {1, 2, 3, 4, 5, 6}));
        state.put("0.bias", StateTensor.of("0.bias", Shape.of(2), new float[] {-1, 1}));
        state.put("1.num_batches_tracked", StateTensor.ofLongs("1.num_batches_tracked", Shape.of(), new long[] {7}));
        out.add(new Seed("safetensors", Safetensors.write(state, Map.of("format", "pt")), "w.safetensors",
                (b, f) -> Safetensors.read(b, f.toString()), false));

        Tensor images = Tensor.uniform(Shape.of(3, 1, 4, 4), 0, 1, 5);
        out.add(new Seed("npy-f4-images", written(dir, "x.npy", p -> Npy.write(p, images)), "x.npy", (b, f) -> Npy.readImages(f), false));
        out.add(new Seed("npy-i8-labels", written(dir, "y.npy", p -> Npy.writeLabels(p, new int[] {0, 2, 1})), "y.npy",
                (b, f) -> Npy.readLabels(f), false));
        out.add(new Seed("npy-u1-array", written(dir, "u.npy", p -> HostileFiles.npy(p, "{'descr': '|u1', 'fortran_order': False, 'shape': (2, 1, 3, 3), }",
                new byte[18])), "u.npy", (b, f) -> Npy.read(f), false));

        byte[] pixels = new byte[3 * 4 * 4];
        new SplittableRandom(3).nextBytes(pixels);
        for (boolean gzip : new boolean[] {false, true}) {
            String z = gzip ? ".gz" : "";
            out.add(new Seed("idx-images" + z, written(dir, "i-images-idx3-ubyte" + z, p -> Idx.writeImages(p, pixels, 3, 4, 4, gzip)),
                    "images-idx3-ubyte" + z, (b, f) -> Idx.readImages(f), false));
            out.add(new Seed("idx-labels" + z, written(dir, "i-labels-idx1-ubyte" + z, p -> Idx.writeLabels(p, new int[] {1, 0, 9}, gzip)),
                    "labels-idx1-ubyte" + z, (b, f) -> Idx.readLabels(f), false));
        }

        var arch = new ObjectMapper().readTree("{\"name\": \"tiny\", \"layers\": [{\"type\": \"conv2d\", \"out_channels\": 2, \"kernel\": 3},"
                + " {\"type\": \"batchnorm2d\"}, {\"type\": \"relu\"}, {\"type\": \"flatten\"}, {\"type\": \"linear\", \"out_features\": \"classes\"}]}");
        Network net = Network.create(Architecture.fromJson(arch, "tiny"), Shape.of(1, 5, 5), List.of("a", "b", "c"), new float[] {0.5f},
                new float[] {0.25f}, 1);
        out.add(new Seed("fovea", written(dir, "m.fovea", p -> ModelFile.save(net, p)), "m.fovea", (b, f) -> ModelFile.load(f), true));

        Tensor rgb = Tensor.uniform(Shape.of(1, 3, 8, 8), 0, 1, 7);
        Tensor gray = Tensor.uniform(Shape.of(1, 1, 8, 8), 0, 1, 8);
        out.add(new Seed("png-rgb", written(dir, "c.png", p -> Images.writePng(p, rgb)), "c.png", (b, f) -> Images.read(f), false));
        out.add(new Seed("png-gray", written(dir, "g.png", p -> Images.writePng(p, gray)), "g.png", (b, f) -> Images.read(f, 3, 6, 6), false));
        out.add(new Seed("jpeg", jpeg(Images.toImage(rgb)), "c.jpg", (b, f) -> Images.read(f, 1, 8, 8), false));
        return out;
    }

    @FunctionalInterface
    private interface Writer {
        void write(Path p) throws IOException;
    }

    private static byte[] written(Path dir, String name, Writer w) throws IOException {
        Path p = dir.resolve("seed-" + name);
        w.write(p);
        byte[] b = Files.readAllBytes(p);
        Files.delete(p);
        return b;
    }

    private static byte[] jpeg(BufferedImage img) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        javax.imageio.ImageIO.write(img, "jpeg", b);
        return b.toByteArray();
    }

    /** Boundary values a header field is overwritten with. */
    private static final long[] BOUNDARIES = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffffL, 0x80000000L, 0xffffffffL,
        Integer.MAX_VALUE - 8, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, 40000, 2_000_000};
    /** Numbers a number in a text header is replaced by. */
    private static final String[] NUMBERS = {"0", "-1", "2147483647", "2147483648", "99999999999999999999", "65536", "2000000", "1e9",
        "3.5", "-0", "00"};

    /** One random mutation of {@code b}; {@code how[0]} says which. */
    static byte[] mutate(byte[] b, SplittableRandom r, String[] how) {
        byte[] m = b.clone();
        int kind = r.nextInt(8);
        switch (kind) {
            case 0 -> {
                int flips = 1 + r.nextInt(8);
                for (int i = 0; i < flips; i++) {
                    int at = r.nextInt(m.length);
                    m[at] ^= (byte) (1 << r.nextInt(8));
                }
                how[0] = flips + " bit flips";
            }
            case 1 -> {
                int len = r.nextInt(m.length);
                m = Arrays.copyOf(m, len);
                how[0] = "truncated to " + len;
            }
            case 2 -> {
                int at = r.nextInt(m.length + 1);
                byte[] ins = new byte[1 + r.nextInt(16)];
                r.nextBytes(ins);
                m = splice(m, at, 0, ins);
                how[0] = ins.length + " bytes inserted at " + at;
            }
            case 3 -> {
                int at = r.nextInt(m.length);
                int len = 1 + r.nextInt(Math.min(32, m.length - at));
                m = splice(m, at, len, new byte[0]);
                how[0] = len + " bytes deleted at " + at;
            }
            case 4, 5 -> {
                int width = new int[] {1, 2, 4, 8}[r.nextInt(4)];
                int at = r.nextInt(Math.max(1, Math.min(m.length, 96) - width + 1));
                long v = r.nextInt(4) == 0 ? r.nextLong() : BOUNDARIES[r.nextInt(BOUNDARIES.length)];
                boolean big = r.nextBoolean();
                for (int i = 0; i < width && at + i < m.length; i++) {
                    int shift = 8 * (big ? width - 1 - i : i);
                    m[at + i] = (byte) (v >>> shift);
                }
                how[0] = width + "-byte " + (big ? "big" : "little") + "-endian field at " + at + " set to " + v;
            }
            case 6 -> {
                String text = new String(m, StandardCharsets.ISO_8859_1);
                java.util.regex.Matcher d = java.util.regex.Pattern.compile("\\d+").matcher(text.substring(0, Math.min(text.length(), 1024)));
                List<int[]> runs = new ArrayList<>();
                while (d.find()) {
                    runs.add(new int[] {d.start(), d.end()});
                }
                if (runs.isEmpty()) {
                    return mutate(b, r, how);
                }
                int[] run = runs.get(r.nextInt(runs.size()));
                String n = NUMBERS[r.nextInt(NUMBERS.length)];
                m = splice(m, run[0], run[1] - run[0], n.getBytes(StandardCharsets.ISO_8859_1));
                how[0] = "number at " + run[0] + " replaced by " + n;
            }
            default -> {
                int from = r.nextInt(m.length);
                int len = 1 + r.nextInt(Math.min(64, m.length - from));
                int to = r.nextInt(m.length + 1);
                m = splice(m, to, 0, Arrays.copyOfRange(m, from, from + len));
                how[0] = len + " bytes from " + from + " copied to " + to;
            }
        }
        return m;
    }

    /** {@code b} with {@code len} bytes at {@code at} replaced by {@code with}. */
    private static byte[] splice(byte[] b, int at, int len, byte[] with) {
        byte[] out = new byte[b.length - len + with.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(with, 0, out, at, with.length);
        System.arraycopy(b, at + len, out, at + with.length, b.length - at - len);
        return out;
    }

    /** The zip {@code b} with one of its entries mutated and every entry written again, with valid sizes and CRCs. */
    static byte[] mutateEntry(byte[] b, SplittableRandom r, String[] how) throws IOException {
        Path tmp = Files.createTempFile("fuzz", ".zip");
        try {
            Files.write(tmp, b);
            Map<String, byte[]> entries = new LinkedHashMap<>();
            try (ZipFile z = new ZipFile(tmp.toFile())) {
                for (ZipEntry e : java.util.Collections.list(z.entries())) {
                    try (InputStream in = z.getInputStream(e)) {
                        entries.put(e.getName(), in.readAllBytes());
                    }
                }
            }
            List<String> names = new ArrayList<>(entries.keySet());
            String victim = names.get(r.nextInt(names.size()));
            String[] inner = new String[1];
            entries.put(victim, mutate(entries.get(victim), r, inner));
            how[0] = victim + ": " + inner[0];
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (ZipOutputStream zip = new ZipOutputStream(out)) {
                for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
            return out.toByteArray();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
