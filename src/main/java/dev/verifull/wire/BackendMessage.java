package dev.verifull.wire;

import io.netty.buffer.ByteBuf;

/** Framing of server messages (type byte, Int32 length including itself, body) for the startup watcher. */
public final class BackendMessage {
    public static final byte AUTHENTICATION = 'R';
    public static final byte BACKEND_KEY_DATA = 'K';
    public static final byte READY_FOR_QUERY = 'Z';
    public static final byte ERROR_RESPONSE = 'E';
    public static final byte NOTICE_RESPONSE = 'N';
    public static final byte PARAMETER_STATUS = 'S';
    public static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';
    /** Startup messages are small; anything near this is a broken or hostile server. */
    public static final int MAX_STARTUP_FRAME = 1 << 20;

    private BackendMessage() {}

    /**
     * Returns the total length (1 + Int32 length) of the next whole frame in {@code in} without
     * consuming, or -1 if incomplete; throws if the length field is &lt; 4 or &gt; MAX_STARTUP_FRAME
     * (checked as soon as the 5 header bytes are there).
     */
    public static int wholeFrameLength(ByteBuf in) throws ProtocolViolationException {
        if (in.readableBytes() < 5) return -1;
        int length = in.getInt(in.readerIndex() + 1);
        if (length < 4 || length > MAX_STARTUP_FRAME) {
            throw new ProtocolViolationException("server message '" + printable(in.getByte(in.readerIndex()))
                    + "' has invalid length " + length);
        }
        return in.readableBytes() > length ? 1 + length : -1;
    }

    /**
     * Checks that {@code frame} starts with a whole frame of the given type and returns its
     * length field. Bytes after that frame are allowed and ignored.
     */
    static int checkFrame(ByteBuf frame, byte type, String name) throws ProtocolViolationException {
        int start = frame.readerIndex();
        if (frame.readableBytes() < 5) throw new ProtocolViolationException(name + " frame is incomplete");
        byte actual = frame.getByte(start);
        if (actual != type) {
            throw new ProtocolViolationException("expected " + name + " ('" + (char) type
                    + "') but got server message '" + printable(actual) + "'");
        }
        int length = frame.getInt(start + 1);
        if (length < 4) throw new ProtocolViolationException(name + " has invalid length " + length);
        if (frame.readableBytes() - 1 < length) throw new ProtocolViolationException(name + " frame is incomplete");
        return length;
    }

    static String printable(byte b) {
        return b >= 0x20 && b < 0x7F ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xFF);
    }
}
