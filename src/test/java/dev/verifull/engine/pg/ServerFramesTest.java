package dev.verifull.engine.pg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.verifull.wire.ErrorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import org.junit.jupiter.api.Test;

/** The relay's view of the server's message boundaries, whatever way the bytes are split into reads. */
class ServerFramesTest {
    private static byte[] dataRow() {
        return new byte[] {'D', 0, 0, 0, 10, 0, 1, 0, 0, 0, 0};
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : parts) b.writeBytes(p);
        return bytes(b);
    }

    @Test
    void aFatalErrorAtTheEndIsFoundHoweverTheBytesAreSplit() {
        byte[] fatal = bytes(ErrorResponse.fatal("57P01", "terminating connection due to administrator command", null, null)
                .encode(UnpooledByteBufAllocator.DEFAULT));
        byte[] stream = concat(dataRow(), dataRow(), fatal);
        for (int chunk = 1; chunk <= stream.length; chunk++) {
            ServerFrames frames = new ServerFrames();
            for (int i = 0; i < stream.length; i += chunk) {
                frames.read(Unpooled.wrappedBuffer(stream, i, Math.min(chunk, stream.length - i)));
                int read = Math.min(i + chunk, stream.length);
                assertEquals(read == 11 || read == 22 || read == stream.length, frames.atBoundary(),
                        "chunk " + chunk + " after " + read);
            }
            ErrorResponse e = frames.fatalError();
            assertNotNull(e, "chunk " + chunk);
            assertEquals("57P01", e.sqlState());
        }
    }

    @Test
    void anErrorFollowedByReadyForQueryIsNotWhatEndedTheSession() {
        ServerFrames frames = new ServerFrames();
        ErrorResponse error = new ErrorResponse(java.util.Map.of('S', "ERROR", 'C', "42P01", 'M', "no such table"));
        ByteBuf encoded = error.encode(UnpooledByteBufAllocator.DEFAULT);
        frames.read(encoded);
        encoded.release();
        assertNull(frames.fatalError(), "an ERROR is not FATAL");
        frames.read(Unpooled.wrappedBuffer(new byte[] {'Z', 0, 0, 0, 5, 'I'}));
        assertNull(frames.fatalError());
        assertTrue(frames.atBoundary());
    }

    @Test
    void readToBoundaryStopsWhereTheMessageUnderWayEnds() {
        ServerFrames frames = new ServerFrames();
        byte[] stream = concat(dataRow(), dataRow());
        frames.read(Unpooled.wrappedBuffer(stream, 0, 7));
        assertFalse(frames.atBoundary());
        ByteBuf rest = Unpooled.wrappedBuffer(stream, 7, stream.length - 7);
        assertEquals(4, frames.readToBoundary(rest));
        assertTrue(frames.atBoundary());
    }

    @Test
    void aStreamThatIsNotPostgresFramingIsNeverInjectedInto() {
        ServerFrames frames = new ServerFrames();
        frames.read(Unpooled.wrappedBuffer(new byte[] {'D', 0, 0, 0, 2, 1, 2, 3}));
        assertFalse(frames.atBoundary());
    }
}
