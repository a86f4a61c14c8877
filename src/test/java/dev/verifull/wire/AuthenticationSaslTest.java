package dev.verifull.wire;

import static dev.verifull.wire.Bufs.hex;
import static dev.verifull.wire.Bufs.hexAndRelease;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

class AuthenticationSaslTest {
    static final String PLUS = "5343 52414d2d5348412d3235362d504c555300"; // SCRAM-SHA-256-PLUS\0
    static final String SCRAM = "5343 52414d2d5348412d32353600";          // SCRAM-SHA-256\0
    /** 4 + 4 + 19 + 14 + 1 = 42. */
    static final String BOTH = "52 0000002a 0000000a" + PLUS + SCRAM + "00";
    /** 4 + 4 + 14 + 1 = 23. */
    static final String SCRAM_ONLY = "52 00000017 0000000a" + SCRAM + "00";

    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.releaseInputs();
    }

    @Test
    void readsMechanisms() throws Exception {
        ByteBuf frame = bufs.of(BOTH);
        assertEquals(10, AuthenticationSasl.authCode(frame));
        assertTrue(AuthenticationSasl.isSasl(frame));
        assertEquals(List.of("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"), AuthenticationSasl.mechanisms(frame));
        assertEquals(0, frame.readerIndex());
    }

    @Test
    void dropsChannelBindingAndFixesTheLength() throws Exception {
        ByteBuf frame = bufs.of(BOTH);
        ByteBuf out = AuthenticationSasl.withoutMechanism(frame, AuthenticationSasl.SCRAM_SHA_256_PLUS, Bufs.ALLOC);
        assertEquals(24, out.readableBytes());
        assertEquals(23, out.getInt(1));
        assertEquals(hex(SCRAM_ONLY), hexAndRelease(out));
        assertEquals(0, frame.readerIndex());
        assertEquals(43, frame.readableBytes());
    }

    @Test
    void copiesUnchangedWhenAbsent() throws Exception {
        ByteBuf frame = bufs.of(SCRAM_ONLY + "5a0000000549"); // what follows the frame stays out
        ByteBuf out = AuthenticationSasl.withoutMechanism(frame, AuthenticationSasl.SCRAM_SHA_256_PLUS, Bufs.ALLOC);
        assertEquals(hex(SCRAM_ONLY), hexAndRelease(out));
    }

    @Test
    void otherAuthenticationRequests() throws Exception {
        ByteBuf ok = bufs.of("52 00000008 00000000");
        assertEquals(0, AuthenticationSasl.authCode(ok));
        assertFalse(AuthenticationSasl.isSasl(ok));
        assertThrows(ProtocolViolationException.class, () -> AuthenticationSasl.mechanisms(ok));
        assertEquals(5, AuthenticationSasl.authCode(bufs.of("52 0000000c 00000005 01020304")));
        assertEquals(12, AuthenticationSasl.authCode(bufs.of("52 0000000a 0000000c 7878")));
        assertEquals(-1, AuthenticationSasl.authCode(bufs.of("5a 00000005 49 000000")), "not an R frame");
        assertEquals(-1, AuthenticationSasl.authCode(bufs.of("52 000000")), "too short");
    }

    @Test
    void refusesListWithoutFinalEmptyName() {
        ByteBuf noTerminator = bufs.of("52 00000016 0000000a" + SCRAM);
        assertThrows(ProtocolViolationException.class, () -> AuthenticationSasl.mechanisms(noTerminator));
        assertThrows(ProtocolViolationException.class,
                () -> AuthenticationSasl.withoutMechanism(noTerminator, AuthenticationSasl.SCRAM_SHA_256_PLUS, Bufs.ALLOC));
        ByteBuf unterminatedName = bufs.of("52 0000000b 0000000a 5343");
        assertThrows(ProtocolViolationException.class, () -> AuthenticationSasl.mechanisms(unterminatedName));
        ByteBuf emptyBody = bufs.of("52 00000008 0000000a");
        assertThrows(ProtocolViolationException.class, () -> AuthenticationSasl.mechanisms(emptyBody));
        ByteBuf trailing = bufs.of("52 00000018 0000000a" + SCRAM + "00 ff");
        assertThrows(ProtocolViolationException.class, () -> AuthenticationSasl.mechanisms(trailing));
        ByteBuf truncated = bufs.of(BOTH.substring(0, BOTH.length() - 4));
        assertThrows(ProtocolViolationException.class, () -> AuthenticationSasl.mechanisms(truncated));
    }
}
