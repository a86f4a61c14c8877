package dev.verifull.engine.pg;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * What the client sent during its startup phase and was not used yet, and whether it finished
 * sending (a half-close). Owned by one connection's event loop.
 */
final class ClientBytes {
    /** More than any startup phase needs: past it, reading pauses until the admission step answers. */
    static final int MAX_EARLY_BYTES = 16 * 1024;

    private ByteBuf buffer;
    private boolean ended;
    private boolean drained;

    void add(ByteBufAllocator alloc, ByteBuf in) {
        buffer = buffer == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(alloc, buffer, in);
    }

    boolean isReadable() {
        return buffer != null && buffer.isReadable();
    }

    boolean overEarlyLimit() {
        return buffer != null && buffer.readableBytes() > MAX_EARLY_BYTES;
    }

    byte firstByte() {
        return buffer.getByte(buffer.readerIndex());
    }

    /** The bytes to decode packets from (consumed in place); null when nothing arrived. */
    ByteBuf buffer() {
        return buffer;
    }

    /** Hands over everything not used yet (the caller releases it); null when nothing is left. */
    ByteBuf takeAll() {
        ByteBuf all = buffer;
        buffer = null;
        return all;
    }

    /** The client half-closed: what it sent may still be a whole startup phase. */
    void ended() {
        ended = true;
    }

    boolean hasEnded() {
        return ended;
    }

    /** Everything the client sent before its half-close has been read. */
    void drained() {
        drained = true;
    }

    boolean isDrained() {
        return drained;
    }

    void release() {
        if (buffer != null) {
            buffer.release();
            buffer = null;
        }
    }
}
