package dev.fovea.audit.report;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FormatTest {
    @Test
    void durationsReadAsPeopleSayThem() {
        assertEquals("0 s", Format.duration(0));
        assertEquals("45 s", Format.duration(44.6));
        assertEquals("1 min", Format.duration(59.5));
        assertEquals("28 min", Format.duration(28 * 60 + 10));
        assertEquals("1 h 0 min", Format.duration(3600));
        assertEquals("2 h 5 min", Format.duration(2 * 3600 + 5 * 60 + 20));
        assertThrows(IllegalArgumentException.class, () -> Format.duration(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Format.duration(-1));
    }
}
