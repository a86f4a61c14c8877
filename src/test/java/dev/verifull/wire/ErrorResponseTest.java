package dev.verifull.wire;

import static dev.verifull.wire.Bufs.hex;
import static dev.verifull.wire.Bufs.hexAndRelease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

class ErrorResponseTest {
    /** S FATAL, V FATAL, C 08P01, M bad: 27 body bytes, length 31. */
    static final String FATAL_BAD = "45 0000001f"
            + "53 464154414c 00" + "56 464154414c 00" + "43 3038503031 00" + "4d 626164 00" + "00";
    /** S FATAL, V FATAL, C 28000, M no, D d, H h: 32 body bytes, length 36. */
    static final String FATAL_WITH_DETAIL_AND_HINT = "45 00000024"
            + "53 464154414c 00" + "56 464154414c 00" + "43 3238303030 00"
            + "4d 6e6f 00" + "44 64 00" + "48 68 00" + "00";

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.releaseInputs();
    }

    @Test
    void encodesFatalExactly() {
        assertEquals(hex(FATAL_BAD), hexAndRelease(ErrorResponse.fatal("08P01", "bad", null, null).encode(Bufs.ALLOC)));
        assertEquals(hex(FATAL_WITH_DETAIL_AND_HINT),
                hexAndRelease(ErrorResponse.fatal("28000", "no", "d", "h").encode(Bufs.ALLOC)));
    }

    @Test
    void fieldOrder() {
        ErrorResponse e = ErrorResponse.fatal("28000", "no", "d", "h");
        assertEquals(List.of('S', 'V', 'C', 'M', 'D', 'H'), List.copyOf(e.fields().keySet()));
        assertEquals(List.of('S', 'V', 'C', 'M'), List.copyOf(ErrorResponse.fatal("1", "2", null, null).fields().keySet()));
    }

    @Test
    void encodesUtf8AndCountsBytes() {
        // M "é" is c3 a9: body 7 + 7 + 7 + 4 + 1 = 26, length 30
        String expected = "45 0000001e 53464154414c00 56464154414c00 43303850303100 4dc3a900 00";
        assertEquals(hex(expected), hexAndRelease(ErrorResponse.fatal("08P01", "é", null, null).encode(Bufs.ALLOC)));
    }

    @Test
    void decodesBodyWithoutMovingTheReaderIndex() throws Exception {
        ByteBuf frame = bufs.of(FATAL_WITH_DETAIL_AND_HINT);
        ByteBuf body = frame.slice(5, frame.readableBytes() - 5);
        ErrorResponse e = ErrorResponse.decodeBody(body);
        assertEquals(0, body.readerIndex());
        assertEquals("FATAL", e.severity());
        assertEquals("28000", e.sqlState());
        assertEquals("no", e.message());
        assertEquals("d", e.detail());
        assertEquals("h", e.hint());
        assertEquals(ErrorResponse.fatal("28000", "no", "d", "h"), e);
    }

    @Test
    void decodesWholeFrame() throws Exception {
        ByteBuf frame = bufs.of(FATAL_BAD + "5a0000000549"); // a ReadyForQuery behind it is not read
        ErrorResponse e = ErrorResponse.decodeFrame(frame);
        assertEquals(0, frame.readerIndex());
        assertEquals(ErrorResponse.fatal("08P01", "bad", null, null), e);
        assertNull(e.detail());
        assertNull(e.hint());
    }

    @Test
    void decodeBodyStopsAtTheTerminator() throws Exception {
        ErrorResponse e = ErrorResponse.decodeBody(bufs.of("4d 7800 00 ffff"));
        assertEquals(Map.of('M', "x"), e.fields());
    }

    @Test
    void refusesMalformedBodies() {
        for (String hex : List.of("", "4d7800", "4d78", "53464154414c004d")) {
            ByteBuf body = bufs.of(hex);
            assertThrows(ProtocolViolationException.class, () -> ErrorResponse.decodeBody(body), hex);
        }
        // the fields run past the frame's length
        ByteBuf frame = bufs.of("45 00000007 4d7800 00");
        assertThrows(ProtocolViolationException.class, () -> ErrorResponse.decodeFrame(frame));
        ByteBuf notice = bufs.of("4e 00000008 4d7800 00");
        assertThrows(ProtocolViolationException.class, () -> ErrorResponse.decodeFrame(notice));
    }

    @Test
    void withMessageKeepsSeverityAndCodeOnly() {
        Map<Character, String> fields = new LinkedHashMap<>();
        fields.put('S', "FATAL");
        fields.put('V', "FATAL");
        fields.put('C', "28P01");
        fields.put('M', "password authentication failed for user \"x\"");
        fields.put('F', "auth.c");
        fields.put('L', "323");
        fields.put('R', "auth_failed");
        ErrorResponse rewritten = new ErrorResponse(fields).withMessage("new", null, "try again");
        Map<Character, String> expected = new LinkedHashMap<>();
        expected.put('S', "FATAL");
        expected.put('V', "FATAL");
        expected.put('C', "28P01");
        expected.put('M', "new");
        expected.put('H', "try again");
        assertEquals(expected, rewritten.fields());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(rewritten.fields().keySet()));
    }

    @Test
    void refusesUnencodableFields() {
        assertThrows(IllegalArgumentException.class, () -> ErrorResponse.fatal("08P01", "a\0b", null, null));
        assertThrows(IllegalArgumentException.class, () -> new ErrorResponse(Map.of('\0', "x")));
        assertThrows(IllegalArgumentException.class, () -> new ErrorResponse(Map.of('\u0100', "x")));
    }
}
