package dev.verifull.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * AuthenticationSASL: {@code R}, Int32 length, Int32 10, mechanism names as C strings, then an
 * empty name. A proxy that terminates TLS must hide {@code SCRAM-SHA-256-PLUS}: the client would
 * bind to the proxy's certificate and the server would reject the proof.
 */
public final class AuthenticationSasl {
    public static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    /** {@code AUTH_REQ_SASL}. */
    public static final int SASL = 10;
    private static final int NAMES_OFFSET = 9; // type, length, auth code

    private AuthenticationSasl() {}

    /**
     * The Int32 after the length of a whole {@code R} frame, or -1 when {@code frame} is not
     * one (wrong type, or too short to hold a code).
     */
    public static int authCode(ByteBuf frame) {
        int start = frame.readerIndex();
        if (frame.readableBytes() < NAMES_OFFSET || frame.getByte(start) != BackendMessage.AUTHENTICATION
                || frame.getInt(start + 1) < 8) {
            return -1;
        }
        return frame.getInt(start + 5);
    }

    /** For a whole {@code R} frame: true if auth code 10 (SASL). */
    public static boolean isSasl(ByteBuf frame) {
        return authCode(frame) == SASL;
    }

    public static List<String> mechanisms(ByteBuf frame) throws ProtocolViolationException {
        List<String> names = new ArrayList<>();
        for (int[] range : nameRanges(frame)) names.add(CStrings.utf8(frame, range[0], range[1]));
        return List.copyOf(names);
    }

    /**
     * A new whole frame with every occurrence of {@code mechanism} removed and the length fixed;
     * the other names are copied byte for byte. Caller releases both.
     */
    public static ByteBuf withoutMechanism(ByteBuf frame, String mechanism, ByteBufAllocator a)
            throws ProtocolViolationException {
        byte[] unwanted = mechanism.getBytes(StandardCharsets.UTF_8);
        List<int[]> kept = new ArrayList<>();
        int length = 4 + 4 + 1; // length itself, auth code, terminating empty name
        for (int[] range : nameRanges(frame)) {
            if (!isName(frame, range, unwanted)) {
                kept.add(range);
                length += range[1] - range[0] + 1;
            }
        }
        ByteBuf out = a.buffer(1 + length);
        out.writeByte(BackendMessage.AUTHENTICATION).writeInt(length).writeInt(SASL);
        for (int[] range : kept) out.writeBytes(frame, range[0], range[1] - range[0]).writeByte(0);
        return out.writeByte(0);
    }

    private static boolean isName(ByteBuf frame, int[] range, byte[] name) {
        if (range[1] - range[0] != name.length) return false;
        byte[] actual = new byte[name.length];
        frame.getBytes(range[0], actual);
        return Arrays.equals(actual, name);
    }

    /** [start, end) of each name; the empty name must be the frame's last byte. */
    private static List<int[]> nameRanges(ByteBuf frame) throws ProtocolViolationException {
        int length = BackendMessage.checkFrame(frame, BackendMessage.AUTHENTICATION, "AuthenticationSASL");
        if (!isSasl(frame)) {
            throw new ProtocolViolationException("authentication request " + authCode(frame) + " is not SASL");
        }
        int end = frame.readerIndex() + 1 + length;
        List<int[]> ranges = new ArrayList<>();
        int pos = frame.readerIndex() + NAMES_OFFSET;
        while (true) {
            int nameEnd = pos < end ? frame.indexOf(pos, end, (byte) 0) : -1;
            if (nameEnd < 0) {
                throw new ProtocolViolationException("AuthenticationSASL mechanism list lacks its final empty name");
            }
            if (nameEnd == pos) {
                if (pos != end - 1) {
                    throw new ProtocolViolationException("AuthenticationSASL has bytes after its mechanism list");
                }
                return ranges;
            }
            ranges.add(new int[] {pos, nameEnd});
            pos = nameEnd + 1;
        }
    }
}
