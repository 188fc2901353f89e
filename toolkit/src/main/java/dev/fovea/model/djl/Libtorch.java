package dev.fovea.model.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import dev.fovea.model.DeviceUnavailableException;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;

/**
 * libtorch through DJL's PyTorch engine: starting it offline, choosing the device, and calling a TorchScript
 * module's methods with gradients on.
 *
 * <p>DJL's public {@code IValueUtils.runMethod} always runs a method in libtorch's inference mode, whose tensors
 * cannot take part in a backward pass, and {@code PtSymbolBlock.forward(..., true)} switches the module to
 * training mode (batch statistics in batch norm). {@link #run} calls the native method with gradients enabled
 * and the module left in evaluation mode; it reaches DJL's package-private native binding by reflection, the
 * only way this DJL version offers.
 */
public final class Libtorch {
    private static final Object LOCK = new Object();
    private static volatile Engine engine;
    private static Method runMethod;
    private static Object lib;
    private static Constructor<IValue> ivalue;

    private Libtorch() {
    }

    /** The PyTorch engine, started offline (the native library comes from the bundled pytorch-native jar). */
    public static Engine engine() throws IOException {
        Engine e = engine;
        if (e == null) {
            synchronized (LOCK) {
                if (engine == null) {
                    if (System.getProperty("ai.djl.offline") == null) {
                        System.setProperty("ai.djl.offline", "true");
                    }
                    // The same number of threads as the own engine, so the two are compared fairly.
                    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
                        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(dev.fovea.kernels.Parallel.threads()));
                    }
                    if (System.getProperty("ai.djl.pytorch.num_interop_threads") == null) {
                        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
                    }
                    try {
                        engine = Engine.getEngine("PyTorch");
                    } catch (RuntimeException | LinkageError ex) {
                        throw new IOException("libtorch could not be started: " + ex.getMessage(), ex);
                    }
                }
                e = engine;
            }
        }
        return e;
    }

    /**
     * The DJL device for {@code choice}: {@code AUTO} is a CUDA GPU when libtorch for CUDA finds one, else the CPU.
     *
     * @throws DeviceUnavailableException {@code GPU}, and libtorch finds none
     */
    public static Device device(dev.fovea.model.Device choice) throws IOException {
        Engine e = engine();
        return switch (choice) {
            case CPU -> Device.cpu();
            case AUTO -> e.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
            case GPU -> {
                if (e.getGpuCount() == 0) {
                    throw new DeviceUnavailableException(choice, "device gpu: no CUDA GPU is usable by libtorch " + e.getVersion()
                            + " here (the bundled libtorch is the CPU build; point PYTORCH_LIBRARY_PATH at a CUDA build of libtorch "
                            + e.getVersion() + " on a machine with a GPU, or use device cpu)", true);
                }
                yield Device.gpu();
            }
        };
    }

    /** Calls method {@code name} of a TorchScript module on one tensor, gradients enabled, and returns its tensor. */
    /**
     * Switches the TorchScript graph executor's optimisation off for the calling thread (libtorch keeps the switch per
     * thread). The profiling executor specialises a module's graph to each new input shape it meets and recompiles it
     * there, seconds at a time; attacks and explanations pass batches of ever-changing sizes (the images not yet
     * fooled, the last partial chunk), so on them the recompilation, not the arithmetic, took most of the time. The
     * operators run the same kernels either way.
     */
    public static void plainExecutor() {
        ai.djl.pytorch.jni.JniUtils.setGraphExecutorOptimize(false);
    }

    public static NDArray run(PtSymbolBlock block, String name, NDArray input, NDManager manager) {
        try {
            bind();
            try (IValue in = IValue.from((PtNDArray) input)) {
                long handle = (long) runMethod.invoke(lib, block.getHandle(), name, new long[] {in.getHandle()}, true, false);
                try (IValue out = ivalue.newInstance(handle)) {
                    return out.toTensor((PtNDManager) manager);
                }
            }
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("TorchScript method '" + name + "' failed: " + cause.getMessage(), cause);
        }
    }

    private static void bind() throws ReflectiveOperationException {
        synchronized (LOCK) {
            if (runMethod == null) {
                Class<?> c = Class.forName("ai.djl.pytorch.jni.PyTorchLibrary");
                var f = c.getDeclaredField("LIB");
                f.setAccessible(true);
                lib = f.get(null);
                Method m = c.getDeclaredMethod("moduleRunMethod", long.class, String.class, long[].class, boolean.class, boolean.class);
                m.setAccessible(true);
                Constructor<IValue> k = IValue.class.getDeclaredConstructor(long.class);
                k.setAccessible(true);
                ivalue = k;
                runMethod = m;
            }
        }
    }
}
