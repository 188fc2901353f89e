package dev.fovea.model;

import dev.fovea.method.OptionMessage;

import java.io.IOException;
import java.util.List;

/**
 * The device asked for is not usable on this machine (no CUDA GPU, or a libtorch built without CUDA). The message
 * starts with the option, {@code device}, and may name it once more where it suggests another value.
 */
public class DeviceUnavailableException extends IOException implements OptionMessage {
    private final Device device;
    private final List<String> mentioned;

    /** {@code mentionsDeviceAgain}: whether the message names the {@code device} option again after its start. */
    public DeviceUnavailableException(Device device, String message, boolean mentionsDeviceAgain) {
        super(message);
        this.device = device;
        this.mentioned = mentionsDeviceAgain ? List.of("device") : List.of();
    }

    public Device device() {
        return device;
    }

    @Override
    public String option() {
        return "device";
    }

    @Override
    public List<String> mentioned() {
        return mentioned;
    }
}
