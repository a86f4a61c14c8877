package dev.verifull.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * GSSENCRequest: the client asks for GSSAPI encryption; the server answers {@code G} or {@code N},
 * and after {@code N} the client may go on with an SSLRequest or StartupMessage.
 */
public record GssEncRequest() implements StartupPacket {
    /** {@code PG_PROTOCOL(1234, 5680)} in pqcomm.h. */
    public static final int CODE = 80877104;
    static final int LENGTH = 8;

    public static ByteBuf encode(ByteBufAllocator a) {
        return a.buffer(LENGTH).writeInt(LENGTH).writeInt(CODE);
    }
}
