package dev.fovea.audit.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.fovea.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The one JSON writer of the reports: records serialise their components in declaration order, with snake-case
 * keys ({@code robustAccuracy} as {@code robust_accuracy}), indented.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** {@code value} as indented JSON bytes. */
    public static byte[] bytes(Object value) throws IOException {
        return MAPPER.writeValueAsBytes(value);
    }

    /** Writes {@code value} to {@code file} atomically (a reader never sees half a file). */
    public static void write(Path file, Object value) throws IOException {
        byte[] b = bytes(value);
        AtomicFiles.write(file, out -> out.write(b));
    }
}
