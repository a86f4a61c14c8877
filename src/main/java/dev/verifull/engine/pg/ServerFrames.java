package dev.verifull.engine.pg;

import dev.verifull.wire.BackendMessage;
import dev.verifull.wire.ErrorResponse;
import dev.verifull.wire.ProtocolViolationException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Follows the message boundaries of the server's relayed byte stream without copying it: it reads
 * each message's type and length and skips the body. Only an ErrorResponse's body is kept, so the
 * error that ends a session (a FATAL from pg_terminate_backend, a shutdown) can be recorded, and
 * Verifull knows where it may put its own ErrorResponse between the server's messages.
 */
final class ServerFrames {
    /** Error bodies beyond this are not kept (PostgreSQL's are far shorter). */
    private static final int MAX_ERROR_BYTES = 16 * 1024;
    private static final int HEADER = 5;

    private final byte[] header = new byte[HEADER];
    private int headerFill;
    private byte type;
    private long remaining;
    private byte[] errorBody;
    private int errorFill;
    private ErrorResponse lastError;
    private boolean broken;

    /** Follows all of {@code buf}'s readable bytes. */
    void read(ByteBuf buf) {
        follow(buf, buf.readerIndex(), buf.writerIndex(), false);
    }

    /**
     * Follows {@code buf} only up to the next message boundary; returns how many of its readable
     * bytes come before it (0 when the stream is at a boundary now, all of them when the boundary
     * is not in this buffer).
     */
    int readToBoundary(ByteBuf buf) {
        return follow(buf, buf.readerIndex(), buf.writerIndex(), true) - buf.readerIndex();
    }

    /** Between two messages: a message written now is read by the client as a whole message. */
    boolean atBoundary() {
        return !broken && headerFill == 0;
    }

    /** The server's last complete message, if it was a FATAL or PANIC ErrorResponse; else null. */
    ErrorResponse fatalError() {
        ErrorResponse e = lastError;
        return e != null && ("FATAL".equals(e.severity()) || "PANIC".equals(e.severity())) ? e : null;
    }

    private int follow(ByteBuf buf, int from, int to, boolean stopAtBoundary) {
        int i = from;
        while (i < to && !broken) {
            if (headerFill == 0) {
                if (stopAtBoundary) return i;
                if (to - i >= HEADER) { // the usual case: the whole header in one buffer
                    startMessage(buf.getByte(i), buf.getInt(i + 1));
                    i += HEADER;
                    continue;
                }
            }
            if (headerFill < HEADER) {
                header[headerFill++] = buf.getByte(i++);
                if (headerFill == HEADER) {
                    headerFill = 0;
                    startMessage(header[0], Unpooled.wrappedBuffer(header).getInt(1));
                }
                continue;
            }
            int n = (int) Math.min(remaining, to - i);
            if (errorBody != null) keep(buf, i, n);
            i += n;
            remaining -= n;
            if (remaining == 0) endMessage();
        }
        return i;
    }

    private void startMessage(byte messageType, int length) {
        if (length < 4) { // not PostgreSQL's framing: stop following (and never inject into it)
            broken = true;
            return;
        }
        type = messageType;
        remaining = length - 4L;
        headerFill = HEADER;
        if (type == BackendMessage.ERROR_RESPONSE) {
            errorBody = new byte[(int) Math.min(remaining, MAX_ERROR_BYTES)];
            errorFill = 0;
        }
        if (remaining == 0) endMessage();
    }

    private void keep(ByteBuf buf, int index, int n) {
        int room = Math.min(n, errorBody.length - errorFill);
        if (room <= 0) return;
        buf.getBytes(index, errorBody, errorFill, room);
        errorFill += room;
    }

    private void endMessage() {
        headerFill = 0;
        if (type == BackendMessage.ERROR_RESPONSE && errorBody != null) {
            try {
                lastError = ErrorResponse.decodeBody(Unpooled.wrappedBuffer(errorBody, 0, errorFill));
            } catch (ProtocolViolationException | RuntimeException e) {
                lastError = null;
            }
        } else {
            lastError = null;
        }
        errorBody = null;
    }
}
