package dev.verifull.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void aNewlineCannotStartAForgedLine() {
        assertEquals("alice\\n2026-03-01T10:00:00Z verifull: orders #9 start who=admin",
                Printable.escape("alice\n2026-03-01T10:00:00Z verifull: orders #9 start who=admin"));
        assertEquals("a\\r\\nb\\tc", Printable.escape("a\r\nb\tc"));
    }

    @Test
    void terminalEscapesAndOtherControlsBecomeVisible() {
        assertEquals("\\x1b[31mred\\x1b[0m", Printable.escape("\u001b[31mred\u001b[0m"));
        assertEquals("\\x00\\x07\\x7f\\x85\\x9b", Printable.escape("\u0000\u0007\u007f\u0085\u009b"));
    }

    @Test
    void unicodeLineSeparatorsAndBidiOverridesBecomeVisible() {
        assertEquals("a\\u2028b\\u2029c", Printable.escape("a\u2028b\u2029c"));
        assertEquals("admin\\u202egnp.exe", Printable.escape("admin\u202egnp.exe"));
        assertEquals("x\\u2066y\\u2069\\u200f", Printable.escape("x\u2066y\u2069\u200f"));
    }

    @Test
    void ordinaryTextIsKeptAsItIs() {
        String text = "Zoë Ångström <zoe@exämple.com> C:\\Users\\zoe 'quoted' \"double\" 数据库";
        assertSame(text, Printable.escape(text));
        assertNull(Printable.escape(null));
    }
}
