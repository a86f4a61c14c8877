package dev.verifull.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

class BackendMessageTest {
    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.releaseInputs();
    }

    @Test
    void wholeFrameLength() throws Exception {
        String readyForQuery = "5a 00000005 49";
        ByteBuf in = bufs.of(readyForQuery + "52 00000008 00000000");
        assertEquals(6, BackendMessage.wholeFrameLength(in));
        assertEquals(0, in.readerIndex());
        in.skipBytes(6);
        assertEquals(9, BackendMessage.wholeFrameLength(in));
        byte[] whole = Bufs.bytes(readyForQuery);
        for (int n = 0; n < whole.length; n++) {
            ByteBuf prefix = bufs.of(java.util.Arrays.copyOf(whole, n));
            assertEquals(-1, BackendMessage.wholeFrameLength(prefix));
        }
        assertEquals(5, BackendMessage.wholeFrameLength(bufs.of("53 00000004")), "an empty body is fine");
    }

    @Test
    void refusesAbsurdLengths() {
        for (String hex : new String[] {"45 00000003", "45 ffffffff", "45 00100001"}) {
            ByteBuf in = bufs.of(hex);
            assertThrows(ProtocolViolationException.class, () -> BackendMessage.wholeFrameLength(in), hex);
        }
    }

    @Test
    void acceptsTheLargestStartupFrameOnceWhole() throws Exception {
        ByteBuf header = bufs.of("53 00100000");
        assertEquals(-1, BackendMessage.wholeFrameLength(header));
        ByteBuf whole = bufs.of(new byte[1 + BackendMessage.MAX_STARTUP_FRAME]);
        whole.setByte(0, 'S').setInt(1, BackendMessage.MAX_STARTUP_FRAME);
        assertEquals(1 + BackendMessage.MAX_STARTUP_FRAME, BackendMessage.wholeFrameLength(whole));
    }
}
