package dev.verifull.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** SSLRequest: the client asks to switch to TLS; the server answers one byte, {@code S} or {@code N}. */
public record SslRequest() implements StartupPacket {
    /** {@code PG_PROTOCOL(1234, 5679)} in pqcomm.h. */
    public static final int CODE = 80877103;
    static final int LENGTH = 8;

    public static ByteBuf encode(ByteBufAllocator a) {
        return a.buffer(LENGTH).writeInt(LENGTH).writeInt(CODE);
    }
}
