package dev.fovea.model;

import dev.fovea.io.ModelFormatException;
import dev.fovea.method.InvalidOptionException;
import dev.fovea.tensor.Shape;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which backend opens which file, the errors when none can, and a backend plugged in through the service loader. */
class ModelLoaderTest {
    private static final ModelLoader.Options DEFAULTS = ModelLoader.Options.defaults();

    @TempDir
    Path dir;

    private Path fovea;

    @BeforeEach
    void saveAModel() throws IOException {
        Network net = Network.create(Architecture.named("mlp"), Shape.of(1, 4, 4), List.of("a", "b", "c"), new float[] {0.5f},
                new float[] {0.25f}, 1);
        fovea = dir.resolve("tiny.fovea");
        ModelFile.save(net, fovea);
    }

    private Path empty(String name) throws IOException {
        return Files.createFile(dir.resolve(name));
    }

    private static ModelLoader.Options on(String backend) {
        return DEFAULTS.withBackend(ModelLoader.backend(backend));
    }

    @Test
    void findsTheEngineAndLibtorch() {
        assertEquals(List.of("engine", "libtorch"), ModelLoader.backends().stream().map(Backend::name).toList());
        assertInstanceOf(EngineBackend.class, ModelLoader.backend("engine"));
        assertEquals("libtorch", ModelLoader.backend("LibTorch").name(), "names are case-insensitive");
    }

    @Test
    void foveaRunsOnTheEngineUnlessLibtorchIsAskedFor() throws IOException {
        assertEquals("engine", ModelLoader.backendFor(fovea, DEFAULTS).name());
        assertEquals("engine", ModelLoader.backendFor(dir.resolve("UPPER.FOVEA"), DEFAULTS).name(), "extensions in any case");
        assertEquals("engine", ModelLoader.backendFor(fovea, on("engine")).name());
        assertEquals("libtorch", ModelLoader.backendFor(fovea, on("libtorch")).name());
        try (Classifier c = ModelLoader.open(fovea)) {
            assertInstanceOf(EngineClassifier.class, c);
            assertEquals(List.of("a", "b", "c"), c.classNames());
            assertEquals(64, c.batchSize());
        }
        try (Classifier c = ModelLoader.open(fovea, on("libtorch").withBatchSize(5))) {
            assertEquals("libtorch", c.backend());
            assertEquals(5, c.batchSize());
        }
    }

    @Test
    void torchScriptRunsOnLibtorchOnly() throws IOException {
        for (String name : List.of("m.pt", "m.pth", "m.ts", "m.zip")) {
            Path p = dir.resolve(name);
            assertEquals("libtorch", ModelLoader.backendFor(p, DEFAULTS).name(), name);
            assertEquals("libtorch", ModelLoader.backendFor(p, on("libtorch")).name(), name);
        }
        Path pt = empty("m.pt");
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ModelLoader.open(pt, on("engine")));
        assertEquals("backend", e.option());
        assertEquals("backend engine cannot open " + pt + " (it opens .fovea; .pt files open on libtorch)", e.getMessage());
    }

    @Test
    void aFileNoBackendOpens() throws IOException {
        Path bin = empty("m.bin");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelLoader.open(bin));
        assertEquals(bin + ": no backend opens .bin files (engine opens .fovea; libtorch opens .fovea, .pt, .pth, .ts, .zip)", e.getMessage());
        Path bare = empty("model");
        assertTrue(assertThrows(ModelFormatException.class, () -> ModelLoader.open(bare)).getMessage()
                .startsWith(bare + ": no backend opens files without an extension"));
        Path missing = dir.resolve("missing.fovea");
        assertEquals(missing.toString(), assertThrows(NoSuchFileException.class, () -> ModelLoader.open(missing)).getFile());
    }

    @Test
    void aBackendThatIsNotThere() {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ModelLoader.backend("onnx"));
        assertEquals("backend", e.option());
        assertEquals("backend onnx is not on the class path (backends: engine, libtorch)", e.getMessage());
    }

    @Test
    void optionsThatDoNotFitTheFile() {
        InvalidOptionException meta = assertThrows(InvalidOptionException.class,
                () -> ModelLoader.open(fovea, DEFAULTS.withMetadata(null, null, null, List.of("x"))));
        assertEquals("inputShape", meta.option());
        assertEquals(List.of("mean", "std", "classNames"), meta.mentioned());
        assertTrue(meta.getMessage().startsWith("inputShape, mean, std and classNames describe TorchScript models; " + fovea), meta.getMessage());
        assertThrows(InvalidOptionException.class, () -> ModelLoader.open(fovea, on("libtorch").withMetadata(Shape.of(1, 4, 4), null, null, null)));

        InvalidOptionException gpu = assertThrows(InvalidOptionException.class, () -> ModelLoader.open(fovea, DEFAULTS.withDevice(Device.GPU)));
        assertEquals("device", gpu.option());
        assertEquals("device gpu needs backend libtorch (the own engine runs on the CPU)", gpu.getMessage());

        InvalidOptionException batch = assertThrows(InvalidOptionException.class, () -> DEFAULTS.withBatchSize(0));
        assertEquals("batchSize", batch.option());
        assertEquals("batchSize must be at least 1, got 0", batch.getMessage());
        InvalidOptionException shape = assertThrows(InvalidOptionException.class, () -> DEFAULTS.withMetadata(Shape.of(4, 4), null, null, null));
        assertEquals("inputShape", shape.option());
    }

    @Test
    void networksInMemoryRunOnTheBackendAskedFor() throws IOException {
        Network net = ModelFile.load(fovea);
        try (Classifier c = ModelLoader.open(net, DEFAULTS)) {
            assertInstanceOf(EngineClassifier.class, c);
        }
        try (Classifier c = ModelLoader.open(net, on("libtorch"))) {
            assertEquals("libtorch", c.backend());
        }
    }

    /** Runs {@code body} with the {@code backends/fake} test resources, and so {@link FakeBackend}, on the class path. */
    private static <T> T withFake(Callable<T> body) throws Exception {
        URL root = ModelLoaderTest.class.getResource("/backends/fake/");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader withFake = new URLClassLoader(new URL[] {root}, ModelLoaderTest.class.getClassLoader())) {
            t.setContextClassLoader(withFake);
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void aBackendOnTheClassPathIsFoundAndUsed() throws Exception {
        Path fake = Files.copy(fovea, dir.resolve("tiny.fake"));
        assertEquals(List.of("engine", "libtorch"), ModelLoader.backends().stream().map(Backend::name).toList(), "not without its services file");
        withFake(() -> {
            assertEquals(List.of("engine", "fake", "libtorch"), ModelLoader.backends().stream().map(Backend::name).toList());
            assertInstanceOf(FakeBackend.class, ModelLoader.backendFor(fake, DEFAULTS));
            FakeBackend.OPENED.clear();
            try (Classifier c = ModelLoader.open(fake, DEFAULTS.withBatchSize(3))) {
                assertEquals(List.of("a", "b", "c"), c.classNames());
                assertEquals(3, c.batchSize());
            }
            assertEquals(List.of(fake), FakeBackend.OPENED);
            try (Classifier c = ModelLoader.open(fake, on("fake"))) {
                assertEquals(2, FakeBackend.OPENED.size());
            }
            InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ModelLoader.open(fake, on("engine")));
            assertEquals("backend engine cannot open " + fake + " (it opens .fovea; .fake files open on fake)", e.getMessage());
            assertSame(EngineBackend.class, ModelLoader.backendFor(fovea, DEFAULTS).getClass(), "the other backends are unchanged");
            assertThrows(InvalidOptionException.class, () -> ModelLoader.open(fovea, on("fake")));
            InvalidOptionException net = assertThrows(InvalidOptionException.class, () -> ModelLoader.open(ModelFile.load(fovea), on("fake")));
            assertEquals("backend fake runs no networks of the own engine", net.getMessage());
            return null;
        });
    }
}
