package dev.verifull.wire;

import static dev.verifull.wire.Bufs.bytes;
import static dev.verifull.wire.Bufs.hex;
import static dev.verifull.wire.Bufs.hexAndRelease;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

class BackendKeyDataTest {
    /** pid 12345, 4-byte key (protocol 3.0): length 12. */
    static final String KEY_4 = "4b 0000000c 00003039 01020304";
    /** pid 12345, 32-byte key (what a 3.2 server sends): length 40. */
    static final String KEY_32 = "4b 00000028 00003039" + StartupPacketDecoderTest.KEY_32;

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.releaseInputs();
    }

    @Test
    void fourByteKey() throws Exception {
        ByteBuf frame = bufs.of(KEY_4);
        BackendKeyData k = BackendKeyData.decodeFrame(frame);
        assertEquals(0, frame.readerIndex());
        assertEquals(12345, k.processId());
        assertArrayEquals(bytes("01020304"), k.secretKey());
        assertEquals(new BackendKeyData(12345, bytes("01020304")), k);
        assertEquals(new BackendKeyData(12345, bytes("01020304")).hashCode(), k.hashCode());
        assertEquals("BackendKeyData[processId=12345, secretKey=01020304]", k.toString());
        assertEquals(hex(KEY_4), hexAndRelease(k.encode(Bufs.ALLOC)));
    }

    @Test
    void thirtyTwoByteKey() throws Exception {
        BackendKeyData k = BackendKeyData.decodeFrame(bufs.of(KEY_32 + "5a0000000549"));
        assertArrayEquals(bytes(StartupPacketDecoderTest.KEY_32), k.secretKey());
        assertNotEquals(new BackendKeyData(12345, bytes("01020304")), k);
        assertEquals(hex(KEY_32), hexAndRelease(k.encode(Bufs.ALLOC)));
    }

    @Test
    void refusesBadFrames() {
        List<String> bad = List.of(
                "4b 0000000b 00003039 010203",                       // 3-byte key
                String.format("4b %08x 00003039", 8 + 257) + "00".repeat(257), // 257-byte key
                "4b 00000008 00003039",                              // no key
                "4b 0000000c 00003039 0102",                         // truncated
                "4b 0000",                                           // no length
                "5a 0000000c 00003039 01020304");                    // not K
        for (String hex : bad) {
            ByteBuf frame = bufs.of(hex);
            assertThrows(ProtocolViolationException.class, () -> BackendKeyData.decodeFrame(frame), hex);
            assertEquals(0, frame.readerIndex());
        }
        assertThrows(IllegalArgumentException.class, () -> new BackendKeyData(1, new byte[3]));
    }
}
