package dev.fovea.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.fovea.data.FixturePaths;
import dev.fovea.data.Npy;
import dev.fovea.io.ResultFolder;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where results go, as a careless or unlucky user would send them: one named row per case, each asserting the exit
 * code, the one line on stderr (no stack trace) and what is left on disk. Result folders ({@code --out DIR}) are
 * written as a whole ({@link ResultFolder}); single files ({@code --json FILE}, {@code train --out}) all or
 * nothing, through links and into special files, {@code -} being standard output; both are checked before the run.
 */
class ResultFoldersTest {
    static final String MODEL = FixturePaths.fixture("models", "lenet5.fovea").toString();
    static final String DATA = FixturePaths.fixture("data", "fashion-mnist-1k").toString();

    /** One case: set up in {@code dir}, run, assert. */
    @FunctionalInterface
    interface Case {
        void run(Path dir) throws Exception;
    }

    @TempDir
    Path dir;

    static Stream<Arguments> cases() {
        return Stream.of(
                row("rerun into an earlier result: none of its files stay", d -> {
                    Path out = d.resolve("out");
                    assertOk(attack(out, "0,0.1"));
                    assertTrue(Files.exists(out.resolve("adversarial_eps0.1.npy")));
                    assertOk(attack(out, "0.05"));
                    Path fresh = d.resolve("fresh");
                    assertOk(attack(fresh, "0.05"));
                    assertEquals(names(fresh), names(out), "the files of a fresh run, no more");
                    assertNoTemporaries(d);
                }),
                row("non-empty folder that holds no result: refused, left as it was", d -> {
                    Path out = Files.createDirectories(d.resolve("notes"));
                    Files.writeString(out.resolve("todo.txt"), "keep me");
                    Map<String, String> before = snapshot(out);
                    assertFails(filters(out), Cli.USAGE, out.toString(), "holds no fovea result", "pass --force", "choose another folder");
                    assertEquals(before, snapshot(out));
                    assertNoTemporaries(d);
                }),
                row("non-empty folder that holds no result, with --force: replaced", d -> {
                    Path out = Files.createDirectories(d.resolve("notes"));
                    Files.writeString(out.resolve("todo.txt"), "replace me");
                    assertOk(filters(out, "--force"));
                    assertEquals(List.of(ResultFolder.MARKER, "filters.json", "filters.npy", "filters.png"), names(out));
                    assertNoTemporaries(d);
                }),
                row("empty folder: written", d -> {
                    Path out = Files.createDirectories(d.resolve("empty"));
                    assertOk(filters(out));
                    assertEquals(List.of(ResultFolder.MARKER, "filters.json", "filters.npy", "filters.png"), names(out));
                }),
                row("failing run into an earlier result: left as it was, no temporary folder", d -> {
                    Path out = d.resolve("out");
                    assertOk(attack(out, "0,0.1"));
                    Map<String, String> before = snapshot(out);
                    Path x = d.resolve("x.npy");
                    Npy.write(x, Tensor.zeros(Shape.of(4, 3, 32, 32)));
                    Path y = d.resolve("y.npy");
                    Npy.writeLabels(y, new int[] {0, 1, 2, 3});
                    assertFails(CliRun.of("attack", "-m", MODEL, "--data", x.toString(), "--labels", y.toString(), "--method", "fgsm", "--eps",
                            "0.05", "-q", "--out", out.toString()), Cli.INPUT, "[3,32,32]");
                    assertEquals(before, snapshot(out));
                    assertNoTemporaries(d);
                }),
                row("run killed half-way: its temporary folder and lock go with the next run", d -> {
                    Path out = d.resolve("out");
                    assertOk(filters(out));
                    Path stale = Files.createDirectories(d.resolve(".out.0123456789abcdef.tmp"));
                    Files.writeString(stale.resolve("filters.npy"), "half");
                    Files.writeString(d.resolve(".out.lock"), "999999\n");
                    assertOk(filters(out));
                    assertEquals(List.of(ResultFolder.MARKER, "filters.json", "filters.npy", "filters.png"), names(out));
                    assertEquals(List.of("out"), names(d));
                }),
                row("eval killed while writing --json: its temporary file goes with the next write", d -> {
                    Path json = d.resolve("r.json");
                    Files.writeString(d.resolve(".r.json.00000000deadbeef.tmp"), "{\"n\":");
                    assertOk(eval("--json", json.toString()));
                    assertEquals(List.of("r.json"), names(d));
                }),
                row("two runs into one folder at once: the second fails at once, the first's result is whole", d -> {
                    Path out = d.resolve("out");
                    CompletableFuture<ChildRun> first = CompletableFuture.supplyAsync(() -> child("attack", "-m", MODEL, "--data", DATA,
                            "--limit", "200", "--method", "pgd", "--steps", "100", "--eps", "0,0.1", "-q", "--out", out.toString()));
                    Path lock = d.resolve(".out.lock");
                    // The lock is taken once the file holds the first run's process id.
                    for (long t = System.nanoTime(); !holdsPid(lock) && !first.isDone(); ) {
                        assertTrue(System.nanoTime() - t < 120e9, "the first run took no lock");
                        Thread.sleep(10);
                    }
                    CliRun second = filters(out);
                    assertFalse(first.isDone(), "the second run did not wait for the first: " + second);
                    assertFails(second, Cli.INPUT, out.toString(), "another fovea run (process ", "is writing this folder");
                    ChildRun r = first.get(300, TimeUnit.SECONDS);
                    assertEquals(0, r.code(), r.toString());
                    assertEquals(List.of(ResultFolder.MARKER, "adversarial_eps0.0.npy", "adversarial_eps0.1.npy", "attack.json", "grid_eps0.1.png",
                            "robustness.png", "samples.csv"), names(out), "the first run's files, whole");
                    assertEquals(List.of("out"), names(d));
                }),
                row("--out '': a usage error, nothing written here", d -> {
                    List<String> here = names(Path.of(""));
                    assertFails(filters(Path.of("")), Cli.USAGE, "--out: expected a folder, got an empty name");
                    assertFails(CliRun.of("attack", "-m", MODEL, "--data", DATA, "--out", ""), Cli.USAGE, "--out: expected a folder");
                    assertEquals(here, names(Path.of("")));
                }),
                row("--out FILE: it is a file, not a folder", d -> {
                    Path file = d.resolve("file.txt");
                    Files.writeString(file, "mine");
                    assertFails(filters(file), Cli.INPUT, file + ": is a file, not a folder");
                    assertEquals("mine", Files.readString(file));
                    assertEquals(List.of("file.txt"), names(d));
                }),
                row("--out under a file: refused before the run", d -> {
                    Path file = d.resolve("file.txt");
                    Files.writeString(file, "mine");
                    CliRun r = attack(file.resolve("out"), "0.05");
                    assertFails(r, Cli.INPUT, file.resolve("out") + ": " + file + " is a file, not a folder to write in");
                    assertFalse(r.out().contains("clean accuracy"), "no run: " + r);
                    assertEquals(List.of("file.txt"), names(d));
                }),
                row("--out with a name too long for the file system: refused before the run", d -> {
                    Path out = d.resolve("a".repeat(300));
                    CliRun r = attack(out, "0.05");
                    assertFails(r, Cli.INPUT, out + ": File name too long");
                    assertFalse(r.out().contains("clean accuracy"), "no run: " + r);
                    assertEquals(List.of(), names(d));
                }),
                row("--out a symbolic link: its target is written, the link stays", d -> {
                    Path target = Files.createDirectories(d.resolve("real"));
                    Path link = Files.createSymbolicLink(d.resolve("link"), target);
                    assertOk(filters(link));
                    assertTrue(Files.isSymbolicLink(link), "still a link");
                    assertEquals(List.of(ResultFolder.MARKER, "filters.json", "filters.npy", "filters.png"), names(target));
                    assertEquals(List.of("link", "real"), names(d));
                }),
                row("--json a symbolic link: its target is written, the link stays", d -> {
                    Path target = Files.writeString(Files.createDirectories(d.resolve("real")).resolve("r.json"), "old");
                    Path link = Files.createSymbolicLink(d.resolve("r.json"), Path.of("real", "r.json"));
                    assertOk(eval("--json", link.toString()));
                    assertTrue(Files.isSymbolicLink(link), "still a link");
                    assertEquals(20, json(Files.readString(target)).get("n").asInt());
                    assertEquals(List.of("r.json"), names(target.getParent()));
                }),
                row("--json a FIFO: written into, the FIFO stays", d -> {
                    Path fifo = d.resolve("pipe");
                    Process mk = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
                    assertEquals(0, mk.waitFor(), "mkfifo");
                    CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
                        try {
                            return Files.readString(fifo);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    assertOk(eval("--json", fifo.toString()));
                    assertEquals(20, json(read.get(60, TimeUnit.SECONDS)).get("n").asInt());
                    assertTrue(Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther(), "still a FIFO");
                }),
                row("--json -: the JSON alone on standard output", d -> {
                    CliRun r = eval("--json", "-");
                    assertOk(r);
                    assertEquals(20, json(r.out()).get("n").asInt());
                    assertEquals(List.of(), names(d));
                }),
                row("--json on a full disk (/dev/full): one line with the path and the reason", d -> {
                    assertFails(eval("--json", "/dev/full"), Cli.INPUT, "/dev/full: No space left on device");
                }),
                row("--json a folder: refused before the run", d -> {
                    CliRun r = eval("--json", d.toString());
                    assertFails(r, Cli.INPUT, d + ": is a folder, not a file");
                    assertEquals("", r.out(), "no evaluation");
                }),
                row("--json under a file: refused before the run", d -> {
                    Path file = Files.writeString(d.resolve("file.txt"), "mine");
                    CliRun r = eval("--json", file.resolve("r.json").toString());
                    assertFails(r, Cli.INPUT, file + " is a file, not a folder to write in");
                    assertEquals("", r.out(), "no evaluation");
                }),
                row("--json '': a usage error", d -> {
                    assertFails(eval("--json", ""), Cli.USAGE, "--json: expected a file, got an empty name");
                }),
                row("train --out under a file: refused before training", d -> {
                    Path file = Files.writeString(d.resolve("file.txt"), "mine");
                    CliRun r = CliRun.of("train", "--arch", "mlp", "--data", DATA, "--limit", "32", "--epochs", "1", "-q", "--out",
                            file.resolve("m.fovea").toString());
                    assertFails(r, Cli.INPUT, file + " is a file, not a folder to write in");
                    assertFalse(r.out().contains("training"), "no training: " + r);
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCase(String name, Case c) throws Exception {
        c.run(dir);
    }

    private static Arguments row(String name, Case c) {
        return Arguments.of(name, c);
    }

    private static CliRun attack(Path out, String eps) {
        return CliRun.of("attack", "-m", MODEL, "--data", DATA, "--limit", "8", "--method", "fgsm", "--eps", eps, "-q", "--out", out.toString());
    }

    private static CliRun filters(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("explain", "filters", "-m", MODEL, "-q", "--out", out.toString()));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static CliRun eval(String... more) {
        List<String> a = new ArrayList<>(List.of("eval", "-m", MODEL, "--data", DATA, "--limit", "20", "-q"));
        a.addAll(List.of(more));
        return CliRun.of(a.toArray(String[]::new));
    }

    private static ChildRun child(String... args) {
        try {
            return ChildRun.of(512, 300, args);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void assertOk(CliRun r) {
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err(), r.toString());
    }

    private static void assertFails(CliRun r, int code, String... fragments) {
        assertEquals(code, r.code(), r.toString());
        assertEquals(1, r.errLines(), "one line on stderr: " + r);
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception"), "no stack trace, no exception name: " + r);
        for (String f : fragments) {
            assertTrue(r.err().contains(f), "'" + f + "' on stderr: " + r);
        }
    }

    /** The names in {@code d}, hidden ones included, sorted. */
    private static List<String> names(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Every file under {@code d} with its bytes, to show that a folder was left as it was. */
    private static Map<String, String> snapshot(Path d) throws IOException {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> s = Files.walk(d)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                all.put(d.relativize(p).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(p)));
            }
        }
        return all;
    }

    /** No temporary folder, temporary file or lock is left in {@code d}. */
    private static void assertNoTemporaries(Path d) throws IOException {
        for (String n : names(d)) {
            assertFalse(n.startsWith(".") && (n.endsWith(".tmp") || n.endsWith(".lock")), "left behind: " + n);
        }
    }

    private static JsonNode json(String s) throws IOException {
        return new ObjectMapper().readTree(s.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether the lock file exists and holds a process id (it is written right after the lock is taken). */
    private static boolean holdsPid(Path lock) {
        try {
            return Files.size(lock) > 0;
        } catch (IOException e) {
            return false;
        }
    }
}
