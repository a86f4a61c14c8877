package dev.verifull.wire;

import static dev.verifull.wire.Bufs.bytes;
import static dev.verifull.wire.Bufs.hex;
import static dev.verifull.wire.Bufs.hexAndRelease;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.netty.buffer.ByteBuf;

class StartupPacketDecoderTest {
    static final String SSL_REQUEST = "00000008 04d2162f";
    static final String GSSENC_REQUEST = "00000008 04d21630";
    /** pid 1234, key de ad be ef. */
    static final String CANCEL_30 = "00000010 04d2162e 000004d2 deadbeef";
    static final String KEY_32 = "000102030405060708090a0b0c0d0e0f 101112131415161718191a1b1c1d1e1f";
    /** pid 0x12345, 32-byte key 00..1f: length 12 + 32 = 44. */
    static final String CANCEL_32 = "0000002c 04d2162e 00012345" + KEY_32;
    /** Protocol 3.0: user alice, database shop, application_name psql, options "-c geqo=off". */
    static final String STARTUP_30 = "0000004c 00030000"
            + "7573657200 616c69636500"
            + "646174616261736500 73686f7000"
            + "6170706c69636174696f6e5f6e616d6500 7073716c00"
            + "6f7074696f6e7300 2d632067 65716f3d 6f666600"
            + "00";
    /** Protocol 3.2: user bob, _pq_.x 1 (no database: it defaults to the user). */
    static final String STARTUP_32 = "0000001b 00030002"
            + "7573657200 626f6200"
            + "5f70715f2e7800 3100"
            + "00";

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.releaseInputs();
    }

    private StartupPacket decodeWhole(String hex) throws ProtocolViolationException {
        ByteBuf in = bufs.of(hex);
        StartupPacket packet = StartupPacketDecoder.decode(in);
        assertEquals(0, in.readableBytes(), "consumes exactly the packet");
        return packet;
    }

    private ProtocolViolationException rejected(String hex) {
        ByteBuf in = bufs.of(hex);
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> StartupPacketDecoder.decode(in));
        assertEquals(0, in.readerIndex(), "consumes nothing when refusing");
        return e;
    }

    @Test
    void sslRequest() throws Exception {
        assertEquals(hex(SSL_REQUEST), hexAndRelease(SslRequest.encode(Bufs.ALLOC)));
        assertEquals(new SslRequest(), decodeWhole(SSL_REQUEST));
    }

    @Test
    void gssEncRequest() throws Exception {
        assertEquals(hex(GSSENC_REQUEST), hexAndRelease(GssEncRequest.encode(Bufs.ALLOC)));
        assertEquals(new GssEncRequest(), decodeWhole(GSSENC_REQUEST));
    }

    @Test
    void cancelRequest30() throws Exception {
        CancelRequest cancel = new CancelRequest(1234, bytes("deadbeef"));
        assertEquals(hex(CANCEL_30), hexAndRelease(cancel.encode(Bufs.ALLOC)));
        assertEquals(cancel, decodeWhole(CANCEL_30));
    }

    @Test
    void cancelRequest32() throws Exception {
        CancelRequest cancel = new CancelRequest(0x12345, bytes(KEY_32));
        assertEquals(hex(CANCEL_32), hexAndRelease(cancel.encode(Bufs.ALLOC)));
        CancelRequest decoded = assertInstanceOf(CancelRequest.class, decodeWhole(CANCEL_32));
        assertEquals(0x12345, decoded.processId());
        assertArrayEquals(bytes(KEY_32), decoded.secretKey());
    }

    @Test
    void cancelRequestComparesKeyContent() {
        CancelRequest a = new CancelRequest(7, bytes("01020304"));
        CancelRequest b = new CancelRequest(7, bytes("01020304"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertTrue(!a.equals(new CancelRequest(7, bytes("01020305"))));
        assertEquals("CancelRequest[processId=7, secretKey=01020304]", a.toString());
        byte[] key = bytes("01020304");
        CancelRequest c = new CancelRequest(7, key);
        key[0] = 9;
        c.secretKey()[1] = 9;
        assertEquals(a, c, "the record keeps its own copy of the key");
        assertThrows(IllegalArgumentException.class, () -> new CancelRequest(7, new byte[3]));
        assertThrows(IllegalArgumentException.class, () -> new CancelRequest(7, new byte[257]));
    }

    @Test
    void startupMessage30() throws Exception {
        StartupMessage m = assertInstanceOf(StartupMessage.class, decodeWhole(STARTUP_30));
        assertEquals(StartupMessage.PROTOCOL_3_0, m.protocolVersion());
        assertEquals(3, m.majorVersion());
        assertEquals(0, m.minorVersion());
        assertEquals(List.of("user", "database", "application_name", "options"), List.copyOf(m.parameters().keySet()));
        assertEquals("alice", m.user());
        assertEquals("shop", m.database());
        assertEquals("psql", m.applicationName());
        assertEquals("-c geqo=off", m.parameters().get("options"));
        assertArrayEquals(bytes(STARTUP_30), m.raw());
        assertEquals(hex(STARTUP_30), hexAndRelease(m.encode(Bufs.ALLOC)));
        assertThrows(UnsupportedOperationException.class, () -> m.parameters().put("x", "y"));

        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "alice");
        params.put("database", "shop");
        params.put("application_name", "psql");
        params.put("options", "-c geqo=off");
        StartupMessage built = StartupMessage.of(StartupMessage.PROTOCOL_3_0, params);
        assertArrayEquals(bytes(STARTUP_30), built.raw());
        assertEquals(m, built);
    }

    @Test
    void startupMessage32() throws Exception {
        StartupMessage m = assertInstanceOf(StartupMessage.class, decodeWhole(STARTUP_32));
        assertEquals(StartupMessage.PROTOCOL_3_2, m.protocolVersion());
        assertEquals(2, m.minorVersion());
        assertEquals(Map.of("user", "bob", "_pq_.x", "1"), m.parameters());
        assertEquals("bob", m.database(), "database defaults to the user");
        assertNull(m.applicationName());
        assertEquals(hex(STARTUP_32), hexAndRelease(m.encode(Bufs.ALLOC)));

        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "bob");
        params.put("_pq_.x", "1");
        assertArrayEquals(bytes(STARTUP_32), StartupMessage.of(StartupMessage.PROTOCOL_3_2, params).raw());
    }

    @Test
    void emptyDatabaseDefaultsToUser() throws Exception {
        StartupMessage m = StartupMessage.of(StartupMessage.PROTOCOL_3_0, Map.of("user", "u", "database", ""));
        assertEquals("u", m.database());
    }

    @Test
    void rawBytesSurviveWhatTheMapCannotHold() throws Exception {
        // user a, user b (repeated: the server takes the last), application_name = invalid UTF-8 ff
        String hex = "0000002a 00030000 7573657200 6100 7573657200 6200"
                + "6170706c69636174696f6e5f6e616d6500 ff00 00";
        StartupMessage m = assertInstanceOf(StartupMessage.class, decodeWhole(hex));
        assertEquals("b", m.user());
        assertEquals("\uFFFD", m.applicationName());
        assertEquals(2, m.parameters().size());
        assertEquals(hex(hex), hexAndRelease(m.encode(Bufs.ALLOC)));
    }

    @Test
    void newerMinorVersionsPassForTheServerToNegotiate() throws Exception {
        for (int minor : new int[] {1, 3, 0xFFFF}) {
            StartupMessage m = StartupMessage.of(0x30000 | minor, Map.of("user", "u"));
            ByteBuf in = bufs.of(m.raw());
            assertEquals(m, StartupPacketDecoder.decode(in));
        }
    }

    @Test
    void decodesOnePacketAtATime() throws Exception {
        ByteBuf in = bufs.of(GSSENC_REQUEST + SSL_REQUEST + STARTUP_32 + "0000");
        assertInstanceOf(GssEncRequest.class, StartupPacketDecoder.decode(in));
        assertEquals(8, in.readerIndex());
        assertInstanceOf(SslRequest.class, StartupPacketDecoder.decode(in));
        assertEquals(16, in.readerIndex());
        assertInstanceOf(StartupMessage.class, StartupPacketDecoder.decode(in));
        assertEquals(16 + 27, in.readerIndex());
        assertNull(StartupPacketDecoder.decode(in));
        assertEquals(2, in.readableBytes());
    }

    @Test
    void everyTruncationAsksForMore() throws Exception {
        for (String packet : List.of(SSL_REQUEST, GSSENC_REQUEST, CANCEL_30, CANCEL_32, STARTUP_30, STARTUP_32)) {
            byte[] whole = bytes(packet);
            for (int n = 0; n < whole.length; n++) {
                // two bytes already consumed in front, so absolute offsets must be right
                byte[] prefix = new byte[2 + n];
                System.arraycopy(whole, 0, prefix, 2, n);
                ByteBuf in = bufs.of(prefix);
                in.skipBytes(2);
                assertNull(StartupPacketDecoder.decode(in), packet + " cut at " + n);
                assertEquals(2, in.readerIndex());
                assertEquals(n, in.readableBytes());
            }
        }
    }

    @Test
    void refusesOversizedPacketFromItsLengthAlone() {
        ProtocolViolationException e = rejected("00002711");
        assertEquals("startup packet length 10001 exceeds the limit of 10000 bytes", e.getMessage());
        assertEquals("startup packet length 20000 exceeds the limit of 10000 bytes", rejected("00004e20 00030000").getMessage());
        assertTrue(rejected("16030100").getMessage().contains("exceeds"), "a TLS record header reads as a huge length");
    }

    @Test
    void acceptsExactlyTheLimit() throws Exception {
        // 8 header + "user\0u\0" (7) + "options\0" (8) + value + NUL + terminator = 10000
        String value = "x".repeat(10_000 - 8 - 7 - 8 - 1 - 1);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", "u");
        params.put("options", value);
        StartupMessage m = StartupMessage.of(StartupMessage.PROTOCOL_3_0, params);
        assertEquals(10_000, m.raw().length);
        assertEquals(m, StartupPacketDecoder.decode(bufs.of(m.raw())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ffffffff", "80000000", "00000000", "00000004", "00000007"})
    void refusesLengthsBelowEight(String length) {
        assertTrue(rejected(length).getMessage().contains("below the minimum of 8"));
    }

    @Test
    void refusesUnknownCodesAndOtherMajorVersions() {
        assertEquals("unsupported protocol version 1234.5681", rejected("00000008 04d21631").getMessage());
        byte[] v2 = StartupMessage.of(0x20000, Map.of("user", "u")).raw();
        assertEquals("unsupported protocol version 2.0", rejected(HexFormat.of().formatHex(v2)).getMessage());
        assertEquals("unsupported protocol version 4.0", rejected("00000010 00040000 0000000000000000").getMessage());
        // the version is checked before the rest of the packet arrives
        assertEquals("unsupported protocol version 2.0", rejected("00000100 00020000").getMessage());
    }

    @Test
    void refusesBadParameterLayouts() {
        List<String> bad = List.of(
                "00000008 00030000",                                        // no body at all
                "00000013 00030000 7573657200 616c69636500",                // no terminator
                "0000001c 00030000 7573657200 616c69636500 646174616261736500", // name without value
                "00000017 00030000 7573657200 616c69636500 64617461",       // name not NUL-terminated
                "00000015 00030000 7573657200 616c69636500 0000",           // terminator not last
                "0000000b 00030000 757365");                                // nothing terminated
        for (String hex : bad) {
            assertTrue(rejected(hex).getMessage().startsWith("invalid startup packet layout: "), hex);
        }
        assertEquals("invalid startup packet layout: expected terminator as last byte",
                rejected("00000013 00030000 7573657200 616c69636500").getMessage());
    }

    @Test
    void refusesMissingOrEmptyUser() {
        for (Map<String, String> params : List.of(Map.of("database", "d"), Map.of("user", ""), Map.<String, String>of())) {
            byte[] raw = StartupMessage.of(StartupMessage.PROTOCOL_3_0, params).raw();
            ProtocolViolationException e = rejected(HexFormat.of().formatHex(raw));
            assertEquals("no PostgreSQL user name specified in startup packet", e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {8, 12, 15, 269, 300, 10_000})
    void refusesCancelRequestLengths(int length) {
        String hex = String.format("%08x 04d2162e", length) + "00".repeat(length - 8);
        assertTrue(rejected(hex).getMessage().startsWith("invalid CancelRequest length " + length));
        // refused from the 8-byte header alone
        rejected(String.format("%08x 04d2162e", length));
    }

    @ParameterizedTest
    @ValueSource(ints = {16, 17, 44, 268})
    void acceptsCancelKeysOfFourTo256Bytes(int length) throws Exception {
        String hex = String.format("%08x 04d2162e 00000001", length) + "ab".repeat(length - 12);
        CancelRequest c = assertInstanceOf(CancelRequest.class, decodeWhole(hex));
        assertEquals(length - 12, c.secretKey().length);
        assertEquals(hex(hex), hexAndRelease(c.encode(Bufs.ALLOC)));
    }

    @Test
    void refusesEncryptionRequestsOfOtherLengths() {
        assertEquals("invalid SSLRequest length 12: expected 8 bytes", rejected("0000000c 04d2162f 00000000").getMessage());
        assertEquals("invalid GSSENCRequest length 9: expected 8 bytes", rejected("00000009 04d21630 00").getMessage());
    }

    @Test
    void ofRefusesStringsThatCannotBeEncoded() {
        assertThrows(IllegalArgumentException.class, () -> StartupMessage.of(StartupMessage.PROTOCOL_3_0, Map.of("", "x")));
        assertThrows(IllegalArgumentException.class, () -> StartupMessage.of(StartupMessage.PROTOCOL_3_0, Map.of("a\0b", "x")));
        assertThrows(IllegalArgumentException.class, () -> StartupMessage.of(StartupMessage.PROTOCOL_3_0, Map.of("user", "x\0")));
    }
}
