package dev.verifull.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * Test buffers from hex. Inputs are released after each test, after checking that the code
 * under test neither released nor retained them; outputs are released where they are read,
 * checking that this frees them.
 */
final class Bufs {
    static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private final List<ByteBuf> inputs = new ArrayList<>();

    /** Hex with any whitespace between digits. */
    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    static String hex(String spacedHex) {
        return spacedHex.replaceAll("\\s+", "").toLowerCase();
    }

    ByteBuf of(String hex) {
        return of(bytes(hex));
    }

    ByteBuf of(byte[] bytes) {
        ByteBuf buf = ALLOC.buffer(bytes.length).writeBytes(bytes);
        inputs.add(buf);
        return buf;
    }

    /** The readable bytes of an output as hex; releases it. */
    static String hexAndRelease(ByteBuf out) {
        String hex = ByteBufUtil.hexDump(out);
        assertTrue(out.release(), "output buffer still referenced after one release");
        return hex;
    }

    static byte[] bytesAndRelease(ByteBuf out) {
        byte[] bytes = ByteBufUtil.getBytes(out);
        assertTrue(out.release(), "output buffer still referenced after one release");
        return bytes;
    }

    void releaseInputs() {
        List<Integer> counts = new ArrayList<>();
        for (ByteBuf buf : inputs) {
            counts.add(buf.refCnt());
            if (buf.refCnt() > 0) buf.release(buf.refCnt());
        }
        inputs.clear();
        counts.forEach(c -> assertEquals(1, c, "input buffer's reference count changed"));
    }
}
