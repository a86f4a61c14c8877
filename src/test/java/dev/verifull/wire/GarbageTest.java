package dev.verifull.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;

/**
 * Seeded random and mutated input: the decoders may only answer with a result, null, or
 * ProtocolViolationException, and must honour their consumption contracts.
 */
class GarbageTest {
    private static final int[] CODES = {
        SslRequest.CODE, GssEncRequest.CODE, CancelRequest.CODE,
        StartupMessage.PROTOCOL_3_0, StartupMessage.PROTOCOL_3_2, 0x20000, 0x30001};
    private static final String[] VALID = {
        StartupPacketDecoderTest.SSL_REQUEST, StartupPacketDecoderTest.CANCEL_32,
        StartupPacketDecoderTest.STARTUP_30, StartupPacketDecoderTest.STARTUP_32};

    private final Random random = new Random(20240917L);
    private final Bufs bufs = new Bufs();

    @AfterEach
    void release() {
        bufs.releaseInputs();
    }

    @Test
    void startupDecoderOnRandomBytes() {
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(40)];
            random.nextBytes(b);
            decodeChecked(b);
        }
    }

    @Test
    void startupDecoderOnPlausibleHeadersWithRandomBodies() {
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[8 + random.nextInt(60)];
            for (int j = 8; j < b.length; j++) {
                b[j] = random.nextInt(3) == 0 ? 0 : (byte) (0x61 + random.nextInt(4)); // many NULs
            }
            int length = random.nextInt(4) == 0 ? b.length + random.nextInt(9) - 4 : b.length;
            putInt(b, 0, length);
            putInt(b, 4, CODES[random.nextInt(CODES.length)]);
            decodeChecked(b);
        }
    }

    @Test
    void startupDecoderOnMutatedValidPackets() {
        for (int i = 0; i < 20_000; i++) {
            byte[] b = Bufs.bytes(VALID[random.nextInt(VALID.length)]);
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
            decodeChecked(b);
        }
    }

    @Test
    void backendDecodersOnRandomFrames() {
        byte[] types = {'R', 'K', 'E', 'N', 'Z'};
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[5 + random.nextInt(40)];
            for (int j = 5; j < b.length; j++) {
                b[j] = random.nextInt(3) == 0 ? 0 : (byte) random.nextInt(256);
            }
            b[0] = types[random.nextInt(types.length)];
            putInt(b, 1, random.nextInt(4) == 0 ? random.nextInt() : b.length - 1 + random.nextInt(5) - 2);
            if (b.length >= 9 && random.nextBoolean()) putInt(b, 5, AuthenticationSasl.SASL);
            ByteBuf frame = bufs.of(b);
            expectOnlyViolations(() -> BackendMessage.wholeFrameLength(frame));
            expectOnlyViolations(() -> AuthenticationSasl.authCode(frame));
            expectOnlyViolations(() -> AuthenticationSasl.mechanisms(frame));
            expectOnlyViolations(() -> Bufs.hexAndRelease(
                    AuthenticationSasl.withoutMechanism(frame, AuthenticationSasl.SCRAM_SHA_256_PLUS, Bufs.ALLOC)));
            expectOnlyViolations(() -> BackendKeyData.decodeFrame(frame));
            expectOnlyViolations(() -> ErrorResponse.decodeFrame(frame));
            expectOnlyViolations(() -> ErrorResponse.decodeBody(frame));
            assertEquals(0, frame.readerIndex());
        }
    }

    private void decodeChecked(byte[] b) {
        ByteBuf in = bufs.of(b);
        StartupPacket packet;
        try {
            packet = StartupPacketDecoder.decode(in);
        } catch (ProtocolViolationException e) {
            assertEquals(0, in.readerIndex());
            return;
        }
        if (packet == null) {
            assertEquals(0, in.readerIndex());
        } else {
            assertTrue(b.length >= 8);
            assertEquals(in.getInt(0), in.readerIndex(), "consumes exactly the declared length");
            if (packet instanceof StartupMessage m) assertEquals(in.getInt(0), m.raw().length);
        }
    }

    private static void expectOnlyViolations(Action action) {
        try {
            action.run();
        } catch (ProtocolViolationException expected) {
            // fine
        }
    }

    private interface Action {
        void run() throws ProtocolViolationException;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
