package dev.fovea.model;

import dev.fovea.io.HostileFiles;
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

    /** A model file of the convnet's model.json ({@code json} when given) and the weights entry {@code weights}. */
    private Path zipped(String json, HostileFiles.Entry weights) throws IOException {
        Path f = dir.resolve("hostile.fovea");
        String mj = json != null ? json : ModelFile.toJson(trained().info()).toString();
        HostileFiles.zip(f, HostileFiles.Entry.of(ModelFile.MODEL_JSON, mj.getBytes(StandardCharsets.UTF_8)), weights);
        return f;
    }

    @Test
    void anEntryDeclaringMoreThanTheCapIsRefusedFromItsHeader() throws IOException {
        byte[] run = HostileFiles.deflatedRun((byte) 0, 1 << 20);
        String msg = loadError(zipped(null, new HostileFiles.Entry(ModelFile.WEIGHTS, run, 3L << 30, 0)));
        assertTrue(msg.contains("weights.safetensors declares 3 GiB, more than the 1 GiB cap"), msg);
    }

    @Test
    void anEntryInflatingPastItsDeclaredSizeIsRefusedThere() throws IOException {
        byte[] bomb = HostileFiles.deflatedRun((byte) 0, 64L << 20);
        String msg = loadError(zipped(null, new HostileFiles.Entry(ModelFile.WEIGHTS, bomb, 1000, 0)));
        assertTrue(msg.contains("weights.safetensors inflates to more than the 1000 bytes its header declares"), msg);
        byte[] spaces = HostileFiles.deflatedRun((byte) ' ', 5L << 20);
        Path f = dir.resolve("json.fovea");
        HostileFiles.zip(f, new HostileFiles.Entry(ModelFile.MODEL_JSON, spaces, 5L << 20, 0),
                HostileFiles.Entry.of(ModelFile.WEIGHTS, Safetensors.write(Map.of(), Map.of())));
        msg = loadError(f);
        assertTrue(msg.contains("model.json declares 5 MiB, more than the 4 MiB cap on model.json"), msg);
    }

    @Test
    void anEntryNotMatchingItsCrcIsCorrupt() throws IOException {
        HostileFiles.Entry w = HostileFiles.Entry.of(ModelFile.WEIGHTS, Safetensors.write(StateDict.of(trained().root()), Map.of()));
        String msg = loadError(zipped(null, new HostileFiles.Entry(w.name(), w.deflated(), w.declaredSize(), w.crc() ^ 1)));
        assertTrue(msg.contains("weights.safetensors does not match the CRC-32 its header declares"), msg);
    }

    @Test
    void anArchitectureFarLargerThanItsWeightsIsRefusedBeforeItIsBuilt() throws IOException {
        var json = ModelFile.toJson(trained().info());
        var layers = ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("architecture")).putArray("layers");
        layers.addObject().put("type", "flatten");
        layers.addObject().put("type", "linear").put("out_features", 1_000_000);
        layers.addObject().put("type", "linear").put("out_features", "classes");
        String msg = loadError(zipped(json.toString(), HostileFiles.Entry.of(ModelFile.WEIGHTS, Safetensors.write(Map.of(), Map.of()))));
        assertTrue(msg.contains("layers[1]: linear: needs 785000000 parameters, more than the 1048576 the network may still have"
                + " (weights.safetensors holds 0 values)"), msg);
    }

    @Test
    void anInputShapeOverTheCapIsRefused() throws IOException {
        var json = ModelFile.toJson(trained().info());
        json.putArray("input_shape").add(1).add(10_000).add(10_000);
        String msg = loadError(write(trained(), s -> { }, json.toString()));
        assertTrue(msg.contains("at most 67108864 values, got [1,10000,10000]"), msg);
    }

    @Test
    void aSafetensorsHeaderOverTheCapIsRefused() {
        byte[] b = new byte[8 + (5 << 20)];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(5L << 20);
        String msg = assertThrows(ModelFormatException.class, () -> Safetensors.read(b, "w")).getMessage();
        assertTrue(msg.contains("safetensors header of 5 MiB, more than the 4 MiB cap"), msg);
    }
}
