package dev.fovea.model;

import dev.fovea.io.ModelFormatException;
import dev.fovea.io.Safetensors;
import dev.fovea.nn.StateTensor;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFileTest {
    @TempDir
    Path dir;

    private Network trained() {
        Network n = ArchitectureTest.net("convnet", 5);
        // Run a training-mode pass so the batch-norm running statistics differ from their defaults.
        n.forward(Tensor.uniform(Shape.of(4, 1, 28, 28), 0, 1, 9), true);
        return n;
    }

    @Test
    void roundTripGivesIdenticalLogitsAndMetadata() throws IOException {
        Network n = trained();
        Path f = dir.resolve("m.fovea");
        ModelFile.save(n, f);
        Network m = ModelFile.load(f);
        Tensor x = Tensor.uniform(Shape.of(3, 1, 28, 28), 0, 1, 4);
        assertArrayEquals(n.logits(x, 8).data(), m.logits(x, 8).data());
        assertEquals(n.info().classNames(), m.info().classNames());
        assertEquals(n.info().inputShape(), m.info().inputShape());
        assertArrayEquals(n.info().mean(), m.info().mean());
        assertEquals(1L, StateDict.of(m.root()).get("1.num_batches_tracked").longs()[0]);
    }

    /** Writes a model file whose weights are {@code n}'s state after {@code edit}, and whose model.json is {@code json}. */
    private Path write(Network n, java.util.function.Consumer<Map<String, StateTensor>> edit, String json) throws IOException {
        Map<String, StateTensor> state = new LinkedHashMap<>(StateDict.of(n.root()));
        edit.accept(state);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            z.putNextEntry(new ZipEntry(ModelFile.MODEL_JSON));
            z.write((json != null ? json : ModelFile.toJson(n.info()).toString()).getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(ModelFile.WEIGHTS));
            z.write(Safetensors.write(state, Map.of()));
        }
        Path f = dir.resolve("bad.fovea");
        Files.write(f, b.toByteArray());
        return f;
    }

    private String loadError(Path f) {
        return assertThrows(ModelFormatException.class, () -> ModelFile.load(f)).getMessage();
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        String msg = loadError(write(trained(), s -> s.remove("3.weight"), null));
        assertTrue(msg.contains("missing tensor 3.weight"), msg);
    }

    @Test
    void extraTensorIsNamed() throws IOException {
        String msg = loadError(write(trained(), s -> s.put("99.weight", StateTensor.of("99.weight", Shape.of(2), new float[2])), null));
        assertTrue(msg.contains("unexpected tensor 99.weight"), msg);
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        String msg = loadError(write(trained(), s -> s.put("0.bias", StateTensor.of("0.bias", Shape.of(31), new float[31])), null));
        assertTrue(msg.contains("'0.bias' has shape [31], the architecture needs [32]"), msg);
    }

    @Test
    void wrongDtypeIsNamed() throws IOException {
        String msg = loadError(write(trained(), s -> s.put("0.bias", StateTensor.ofLongs("0.bias", Shape.of(32), new long[32])), null));
        assertTrue(msg.contains("'0.bias' has dtype I64, expected F32"), msg);
    }

    @Test
    void newerFormatVersionIsRefused() throws IOException {
        Network n = trained();
        String json = ModelFile.toJson(n.info()).put("format_version", 99).toString();
        String msg = loadError(write(n, s -> { }, json));
        assertTrue(msg.contains("format version 99 is newer"), msg);
    }

    @Test
    void unknownLayerIsNamed() throws IOException {
        Network n = trained();
        var json = ModelFile.toJson(n.info());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("architecture").get("layers").get(2)).put("type", "swish");
        String msg = loadError(write(n, s -> { }, json.toString()));
        assertTrue(msg.contains("layers[2]") && msg.contains("unknown layer type 'swish'"), msg);
    }

    @Test
    void unknownKeysInModelJsonAreNamed() throws IOException {
        Network n = trained();
        var json = ModelFile.toJson(n.info());
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("architecture").get("layers").get(0)).put("paddng", 1);
        Path typo = write(n, s -> { }, json.toString());
        assertEquals(typo + ": architecture: layers[0] (conv2d): unknown key \"paddng\" (conv2d takes type, out_channels, kernel, kernel_size,"
                + " stride, padding, bias)", loadError(typo));
        var top = ModelFile.toJson(n.info()).put("classses", "x");
        Path extra = write(n, s -> { }, top.toString());
        assertEquals(extra + ": unknown key \"classses\" in model.json (keys: format_version, architecture, input_shape, mean, std, classes,"
                + " provenance)", loadError(extra));
    }

    @Test
    void aSidecarTakesTheKeysOfModelJsonAndItsFeaturesLayer() throws IOException {
        Path pt = dir.resolve("m.pt");
        Files.writeString(dir.resolve("m.json"), "{\"input_shape\": [1, 4, 4], \"classes\": [\"a\", \"b\"], \"features_layer\": \"5\"}");
        assertEquals(2, Sidecar.info(pt, ModelLoader.Options.defaults()).classes());
        Files.writeString(dir.resolve("m.json"), "{\"input_shape\": [1, 4, 4], \"classes\": [\"a\", \"b\"], \"featurs_layer\": \"5\"}");
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Sidecar.info(pt, ModelLoader.Options.defaults()));
        assertEquals(pt + " metadata: unknown key \"featurs_layer\" in model.json (keys: format_version, architecture, input_shape, mean, std,"
                + " classes, provenance, features_layer)", e.getMessage());
    }

    @Test
    void truncatedFileIsReported() throws IOException {
        Path f = dir.resolve("m.fovea");
        ModelFile.save(trained(), f);
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.fovea");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        String msg = loadError(cut);
        assertTrue(msg.contains("cut.fovea") && (msg.contains("truncated") || msg.contains("corrupt")), msg);
    }

    @Test
    void truncatedWeightsAreReported() throws IOException {
        Network n = trained();
        byte[] w = Safetensors.write(StateDict.of(n.root()), Map.of());
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(java.util.Arrays.copyOf(w, w.length - 100), "w"));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void notAZipIsReported() throws IOException {
        Path f = dir.resolve("junk.fovea");
        Files.writeString(f, "this is not a model");
        String msg = loadError(f);
        assertTrue(msg.contains("junk.fovea") && msg.contains("not a fovea model"), msg);
    }

    @Test
    void safetensorsLayoutIsTheStandardOne() {
        Map<String, StateTensor> s = new LinkedHashMap<>();
        s.put("a", StateTensor.of("a", Shape.of(2), new float[] {1f, -2f}));
        byte[] b = Safetensors.write(s, Map.of());
        long hlen = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(b, 8, (int) hlen, StandardCharsets.UTF_8).trim();
        assertEquals("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", header);
        assertEquals(8 + hlen + 8, b.length);
        assertEquals(0, hlen % 8);
    }
}
