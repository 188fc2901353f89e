package dev.fovea.model.djl;

import dev.fovea.model.Architecture;
import dev.fovea.model.Classifier;
import dev.fovea.model.Device;
import dev.fovea.model.DeviceUnavailableException;
import dev.fovea.model.ModelLoader;
import dev.fovea.model.Network;
import dev.fovea.tensor.Shape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** libtorch as a backend of the loader: devices. */
class LibtorchBackendTest {
    private static final Network NET = Network.create(Architecture.named("mlp"), Shape.of(1, 4, 4), List.of("a", "b"), new float[] {0},
            new float[] {1}, 1);

    @Test
    void registeredUnderItsName() {
        assertInstanceOf(LibtorchBackend.class, ModelLoader.backend(LibtorchBackend.NAME));
    }

    @Test
    void aGpuThatIsNotThere() throws IOException {
        Assumptions.assumeTrue(Libtorch.engine().getGpuCount() == 0, "this machine has a CUDA GPU");
        ModelLoader.Options gpu = ModelLoader.Options.defaults().withBackend(new LibtorchBackend()).withDevice(Device.GPU);
        DeviceUnavailableException e = assertThrows(DeviceUnavailableException.class, () -> ModelLoader.open(NET, gpu));
        assertEquals("device", e.option());
        assertEquals(List.of("device"), e.mentioned());
        assertEquals(Device.GPU, e.device());
        assertTrue(e.getMessage().startsWith("device gpu: no CUDA GPU is usable by libtorch "), e.getMessage());
        assertTrue(e.getMessage().endsWith(", or use device cpu)"), e.getMessage());
        try (Classifier auto = ModelLoader.open(NET, gpu.withDevice(Device.AUTO))) {
            assertEquals("libtorch", auto.backend(), "auto falls back to the CPU");
        }
    }
}
