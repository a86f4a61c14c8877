package dev.verifull.wire;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;

/** NUL-terminated strings, the protocol's "String" type. */
final class CStrings {
    private CStrings() {}

    /** Index of the first NUL in {@code b[from, to)}, or -1. */
    static int nul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) return i;
        }
        return -1;
    }

    /** Bad UTF-8 becomes U+FFFD rather than an error: names are only read, never re-encoded. */
    static String utf8(byte[] b, int from, int to) {
        return new String(b, from, to - from, StandardCharsets.UTF_8);
    }

    static String utf8(ByteBuf buf, int from, int to) {
        byte[] bytes = new byte[to - from];
        buf.getBytes(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** UTF-8 bytes of a string that must fit in a C string. */
    static byte[] bytes(String s, String what) {
        if (s.indexOf('\0') >= 0) throw new IllegalArgumentException(what + " contains a NUL character");
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
