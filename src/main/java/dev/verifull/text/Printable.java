package dev.verifull.text;

/**
 * Makes a string that someone else chose (a client's user, database or application name, a login
 * or machine name, a server's error text) safe to print on one line: control characters become
 * visible escapes, so a newline cannot forge a log line, an ESC sequence cannot reach the
 * terminal, and a bidirectional override cannot make a name read differently from what it is.
 *
 * <p>Escaped: C0 controls (tab, newline and carriage return as {@code \t}, {@code \n},
 * {@code \r}, the others as {@code \x1b} and the like), DEL and C1 controls ({@code \x7f},
 * {@code \x9b}), the Unicode line and paragraph separators and the bidirectional formatting
 * characters ({@code \u2028}, {@code \u202e}). Everything else, including non-ASCII letters and
 * backslashes, is kept as it is.
 */
public final class Printable {
    private Printable() {}

    /** {@code text} with its control characters escaped; null stays null. */
    public static String escape(String text) {
        if (text == null) return null;
        int first = firstUnsafe(text);
        if (first < 0) return text;
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!unsafe(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> hex(out, c <= 0xff ? "\\x" : "\\u", c, c <= 0xff ? 2 : 4);
            }
        }
        return out.toString();
    }

    private static void hex(StringBuilder out, String prefix, char c, int digits) {
        out.append(prefix);
        String h = Integer.toHexString(c);
        for (int i = h.length(); i < digits; i++) out.append('0');
        out.append(h);
    }

    private static int firstUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (unsafe(text.charAt(i))) return i;
        }
        return -1;
    }

    private static boolean unsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f)
                || c == '\u2028' || c == '\u2029' // line and paragraph separators
                || c == '\u061c' || c == '\u200e' || c == '\u200f' // bidi marks
                || (c >= '\u202a' && c <= '\u202e') // bidi embeddings and overrides
                || (c >= '\u2066' && c <= '\u2069'); // bidi isolates
    }
}
