package dev.fovea.model;

import dev.fovea.nn.StateTensor;
import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArchitectureTest {
    static final List<String> TEN = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    static final Shape MNIST = Shape.of(1, 28, 28);

    static Network net(String arch, long seed) {
        return Network.create(Architecture.named(arch), MNIST, TEN, new float[] {0.5f}, new float[] {0.25f}, seed);
    }

    @Test
    void lenet5HasTheParameterCountOfTheLectureNotes() {
        // conv 1->6 5x5: 6*25+6; conv 6->16 5x5: 16*150+16; fc 400->120, 120->84, 84->10.
        long expected = (6 * 25 + 6) + (16 * 6 * 25 + 16) + (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10);
        assertEquals(expected, net("lenet5", 1).parameterCount());
    }

    @Test
    void convnetHasTheStatedLayersAndParameterCount() {
        long conv = (32 * 9 + 32) + (32 * 32 * 9 + 32) + (64 * 32 * 9 + 64) + (64 * 64 * 9 + 64);
        long bn = 2 * (32 + 32 + 64 + 64);
        long fc = (64 * 7 * 7 * 128 + 128) + (128 * 10 + 10);
        assertEquals(conv + bn + fc, net("convnet", 1).parameterCount());
    }

    @Test
    void stateDictNamesFollowPyTorch() {
        Map<String, StateTensor> sd = StateDict.of(net("convnet", 1).root());
        assertTrue(sd.containsKey("0.weight"));
        assertTrue(sd.containsKey("1.running_mean"));
        assertEquals("I64", sd.get("1.num_batches_tracked").dtype());
        assertEquals(Shape.of(128, 3136), sd.get("15.weight").shape());
        Map<String, StateTensor> rn = StateDict.of(net("resnet8", 1).root());
        assertTrue(rn.containsKey("3.body.0.weight"));
        assertTrue(rn.containsKey("5.shortcut.0.weight"), rn.keySet().toString());
        assertFalse(rn.containsKey("3.shortcut.0.weight"), "identity shortcut has no weights");
    }

    @Test
    void everyBuiltInProducesLogitsForAnImage() {
        for (String a : Architecture.NAMES) {
            Network n = net(a, 3);
            Tensor y = n.logits(Tensor.uniform(Shape.of(2, 1, 28, 28), 0, 1, 5), 2);
            assertEquals(Shape.of(2, 10), y.shape(), a);
            assertTrue(y.allFinite(), a);
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        float[] a = net("convnet", 7).params().get(0).value().data();
        float[] b = net("convnet", 7).params().get(0).value().data();
        float[] c = net("convnet", 8).params().get(0).value().data();
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
    }

    @Test
    void heInitialisationHasTheRightSpread() {
        Network n = net("convnet", 11);
        float[] conv2 = StateDict.of(n.root()).get("3.weight").floats();
        double sq = 0;
        for (float v : conv2) {
            sq += v * v;
        }
        double std = Math.sqrt(sq / conv2.length);
        assertEquals(Math.sqrt(2.0 / (32 * 9)), std, 0.05 * std);
    }

    @Test
    void architectureFromJsonFile(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("tiny.json");
        Files.writeString(f, "{\"layers\": [{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel\": 3},"
                + " {\"type\": \"relu\"}, {\"type\": \"global_avgpool\"}, {\"type\": \"linear\", \"out_features\": \"classes\"}]}");
        Architecture a = Architecture.resolve(f.toString());
        assertEquals("tiny", a.name());
        Network n = Network.create(a, MNIST, TEN, new float[] {0}, new float[] {1}, 1);
        assertEquals(4 * 9 + 4 + 4 * 10 + 10, n.parameterCount());
    }

    @Test
    void unknownLayerTypeNamesItsPlace(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"layers\": [{\"type\": \"flatten\"}, {\"type\": \"conv3d\"}]}");
        Architecture a = Architecture.resolve(f.toString());
        IllegalArgumentException iae = assertThrows(IllegalArgumentException.class, () -> a.build(MNIST, 10, 0));
        assertTrue(iae.getMessage().contains("layers[1]") && iae.getMessage().contains("unknown layer type 'conv3d'"), iae.getMessage());
    }

    /** He et al.'s option-A shortcut: no weights, the body's shape, and an odd channel difference named with its place. */
    @Test
    void subsamplePadShortcutHasNoWeightsAndChecksItsChannels() throws IOException {
        String block = "{\"type\": \"residual\", \"body\": [{\"type\": \"conv2d\", \"out_channels\": 8, \"kernel\": 3,"
                + " \"stride\": 2, \"padding\": 1, \"bias\": false}], \"shortcut\": [{\"type\": \"subsample_pad\", \"out_channels\": %d,"
                + " \"stride\": 2}]}";
        String json = "{\"layers\": [{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel\": 3, \"padding\": 1}, " + block
                + ", {\"type\": \"global_avgpool\"}, {\"type\": \"linear\", \"out_features\": \"classes\"}]}";
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        Architecture a = Architecture.fromJson(mapper.readTree(String.format(json, 8)), "option-a");
        Network n = Network.create(a, MNIST, TEN, new float[] {0}, new float[] {1}, 1);
        assertEquals((4 * 9 + 4) + 8 * 4 * 9 + (8 * 10 + 10), n.parameterCount());
        Map<String, StateTensor> sd = StateDict.of(n.root());
        assertFalse(sd.keySet().stream().anyMatch(k -> k.contains("shortcut")), sd.keySet().toString());
        assertEquals(Shape.of(1, 8, 14, 14), n.root().layers().get(1).outputShape(Shape.of(1, 4, 28, 28)));
        Architecture odd = Architecture.fromJson(mapper.readTree(String.format(json, 7)), "odd");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> odd.build(MNIST, 10, 0));
        assertTrue(e.getMessage().startsWith("layers[1].shortcut[0]: subsample_pad: expected out_channels at least the 4 input"),
                e.getMessage());
    }

    @Test
    void unknownKeysAreRefusedNamingTheKeyTheLayerAndTheValidKeys(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("typo.json");
        Files.writeString(f, "{\"layers\": [{\"type\": \"conv2d\", \"out_channels\": 4, \"kernel\": 3, \"paddng\": 1}]}");
        IOException e = assertThrows(IOException.class, () -> Architecture.resolve(f.toString()));
        assertEquals(f + ": architecture: layers[0] (conv2d): unknown key \"paddng\" (conv2d takes type, out_channels, kernel, kernel_size,"
                + " stride, padding, bias)", e.getMessage());
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class, () -> Architecture.fromJson(json.readTree(
                "{\"layers\": [{\"type\": \"relu\"}, {\"type\": \"residual\", \"body\": [{\"type\": \"relu\", \"slope\": 0.1}]}]}"), "x"));
        assertEquals("architecture: layers[1].body[0] (relu): unknown key \"slope\" (relu takes type)", nested.getMessage());
        IllegalArgumentException top = assertThrows(IllegalArgumentException.class,
                () -> Architecture.fromJson(json.readTree("{\"layers\": [], \"int\": \"he\"}"), "x"));
        assertEquals("architecture: unknown key \"int\" (an architecture has name, init, layers)", top.getMessage());
        for (String name : Architecture.NAMES) {
            Architecture a = Architecture.named(name);
            assertEquals(a.spec(), Architecture.fromJson(a.toJson(), name).spec(), name + " uses only valid keys");
        }
        assertEquals(3, Architecture.fromJson(json.readTree("{\"layers\": [{\"type\": \"maxpool2d\", \"kernel_size\": 3}]}"), "x")
                .spec().path("layers").get(0).path("kernel_size").asInt(), "kernel_size is another name for kernel");
    }

    @Test
    void unknownNameListsTheBuiltIns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Architecture.named("vgg99"));
        assertTrue(e.getMessage().contains("lenet5"), e.getMessage());
    }
}
