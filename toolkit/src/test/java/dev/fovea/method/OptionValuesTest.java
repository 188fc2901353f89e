package dev.fovea.method;

import dev.fovea.tensor.Shape;
import dev.fovea.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OptionValuesTest {
    enum Mode { FAST_PATH, SLOW }

    static final List<OptionInfo> OPTIONS = List.of(OptionInfo.of("steps", "int", 4, "steps"), OptionInfo.of("rate", "double", 0.5, "rate"),
            OptionInfo.of("verbose", "boolean", false, "verbose"), OptionInfo.of("name", "string", null, "name"),
            OptionInfo.choice("mode", Mode.class, Mode.SLOW, "mode"), new OptionInfo("image", "tensor", null, "image", List.of()));

    static OptionValues of(Map<String, String> text) {
        return new OptionValues("demo", OPTIONS, text, null);
    }

    @Test
    void givenValuesParseAndAbsentOnesFallBack() {
        Tensor t = Tensor.zeros(Shape.of(1, 2, 2));
        OptionValues v = new OptionValues("demo", OPTIONS, Map.of("steps", " 7", "rate", "1e-3", "verbose", "TRUE", "mode", "fast-path"),
                Map.of("image", t));
        assertEquals(7, v.integer("steps", 4));
        assertEquals(1e-3, v.real("rate", 0.5));
        assertTrue(v.bool("verbose", false));
        assertEquals(Mode.FAST_PATH, v.choice("mode", Mode.class, Mode.SLOW));
        assertSame(t, v.tensor("image", null));
        assertEquals("fallback", v.string("name", "fallback"));
        assertTrue(v.has("image"));
        assertFalse(v.has("name"));
        OptionValues none = new OptionValues("demo", OPTIONS, null, null);
        assertEquals(4, none.integer("steps", 4));
        assertEquals(Mode.SLOW, none.choice("mode", Mode.class, Mode.SLOW));
    }

    @Test
    void errorsNameTheOption() {
        assertInvalid("speed", "speed: not an option of demo (options: steps, rate, verbose, name, mode, image)", () -> of(Map.of("speed", "1")));
        assertInvalid("steps", "steps: not an option of plain, which has none", () -> new OptionValues("plain", List.of(), Map.of("steps", "1"), null));
        assertInvalid("steps", "steps: expected an integer, got '1.5'", () -> of(Map.of("steps", "1.5")).integer("steps", 4));
        assertInvalid("rate", "rate: expected a number, got 'fast'", () -> of(Map.of("rate", "fast")).real("rate", 0.5));
        assertInvalid("rate", "rate: expected a finite number, got 'NaN'", () -> of(Map.of("rate", "NaN")).real("rate", 0.5));
        assertInvalid("rate", "rate: expected a finite number, got '-Infinity'", () -> of(Map.of("rate", "-Infinity")).real("rate", 0.5));
        assertInvalid("rate", "rate: expected a finite number, got '1e999'", () -> of(Map.of("rate", "1e999")).real("rate", 0.5));
        assertInvalid("verbose", "verbose: expected true or false, got 'yes'", () -> of(Map.of("verbose", "yes")).bool("verbose", false));
        assertInvalid("mode", "mode: expected one of fast-path, slow, got 'medium'", () -> of(Map.of("mode", "medium")).choice("mode", Mode.class, null));
        assertInvalid("image", "image: expected a tensor, got text 'a.png'", () -> of(Map.of("image", "a.png")));
    }

    static void assertInvalid(String option, String message, org.junit.jupiter.api.function.Executable call) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, call);
        assertEquals(option, e.option());
        assertEquals(message, e.getMessage());
    }
}
