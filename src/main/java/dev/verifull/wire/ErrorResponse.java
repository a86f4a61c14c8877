package dev.verifull.wire;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * ErrorResponse: {@code E}, Int32 length, fields (one code byte and a C string each), a final
 * NUL. Field codes are single bytes (1..255); values may not contain NUL.
 */
public record ErrorResponse(Map<Character, String> fields) {
    public static final char SEVERITY = 'S';
    /** Non-localized severity, 9.6+. */
    public static final char SEVERITY_NONLOCALIZED = 'V';
    public static final char SQLSTATE = 'C';
    public static final char MESSAGE = 'M';
    public static final char DETAIL = 'D';
    public static final char HINT = 'H';

    public ErrorResponse {
        Map<Character, String> copy = new LinkedHashMap<>();
        Objects.requireNonNull(fields, "fields").forEach((code, value) -> {
            if (code == 0 || code > 0xFF) {
                throw new IllegalArgumentException("field code must be one non-NUL byte: " + (int) code);
            }
            CStrings.bytes(Objects.requireNonNull(value, "field " + code), "field " + code);
            copy.put(code, value);
        });
        fields = Collections.unmodifiableMap(copy);
    }

    /** Fields in the order S=FATAL, V=FATAL, C, M, D (if non-null), H (if non-null). */
    public static ErrorResponse fatal(String sqlState, String message, String detail, String hint) {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put(SEVERITY, "FATAL");
        fields.put(SEVERITY_NONLOCALIZED, "FATAL");
        fields.put(SQLSTATE, Objects.requireNonNull(sqlState, "sqlState"));
        putText(fields, message, detail, hint);
        return new ErrorResponse(fields);
    }

    private static void putText(Map<Character, String> fields, String message, String detail, String hint) {
        fields.put(MESSAGE, Objects.requireNonNull(message, "message"));
        if (detail != null) fields.put(DETAIL, detail);
        if (hint != null) fields.put(HINT, hint);
    }

    public String severity() {
        return fields.get(SEVERITY);
    }

    public String sqlState() {
        return fields.get(SQLSTATE);
    }

    public String message() {
        return fields.get(MESSAGE);
    }

    public String detail() {
        return fields.get(DETAIL);
    }

    public String hint() {
        return fields.get(HINT);
    }

    /**
     * Keeps S, V and C (when present) and replaces the text with M, D and H (detail and hint only
     * when non-null). Other fields (position, source file and line, ...) are dropped: they
     * described the original message.
     */
    public ErrorResponse withMessage(String message, String detail, String hint) {
        Map<Character, String> kept = new LinkedHashMap<>();
        for (char code : new char[] {SEVERITY, SEVERITY_NONLOCALIZED, SQLSTATE}) {
            String value = fields.get(code);
            if (value != null) kept.put(code, value);
        }
        putText(kept, message, detail, hint);
        return new ErrorResponse(kept);
    }

    /** {@code E} + length + fields + final NUL. */
    public ByteBuf encode(ByteBufAllocator a) {
        ByteBuf out = a.buffer();
        out.writeByte(BackendMessage.ERROR_RESPONSE).writeInt(0);
        fields.forEach((code, value) -> {
            out.writeByte(code);
            out.writeCharSequence(value, StandardCharsets.UTF_8);
            out.writeByte(0);
        });
        out.writeByte(0);
        out.setInt(1, out.writerIndex() - 1);
        return out;
    }

    /**
     * Decodes the fields of an ErrorResponse or NoticeResponse body (what follows type and
     * length), from its reader index up to the terminating NUL. Does not move the reader index
     * and ignores bytes after the terminator.
     */
    public static ErrorResponse decodeBody(ByteBuf body) throws ProtocolViolationException {
        Map<Character, String> fields = new LinkedHashMap<>();
        int end = body.writerIndex();
        int pos = body.readerIndex();
        while (true) {
            if (pos >= end) throw new ProtocolViolationException("error response lacks its terminating NUL");
            int code = body.getByte(pos) & 0xFF;
            if (code == 0) return new ErrorResponse(fields);
            int valueEnd = body.indexOf(pos + 1, end, (byte) 0);
            if (valueEnd < 0) {
                throw new ProtocolViolationException("error response field '"
                        + BackendMessage.printable((byte) code) + "' is not NUL-terminated");
            }
            fields.put((char) code, CStrings.utf8(body, pos + 1, valueEnd));
            pos = valueEnd + 1;
        }
    }

    /**
     * Decodes a whole {@code E} frame (type and length included) without moving its reader index;
     * the fields must end inside the frame.
     */
    public static ErrorResponse decodeFrame(ByteBuf frame) throws ProtocolViolationException {
        int length = BackendMessage.checkFrame(frame, BackendMessage.ERROR_RESPONSE, "ErrorResponse");
        return decodeBody(frame.slice(frame.readerIndex() + 5, length - 4));
    }
}
