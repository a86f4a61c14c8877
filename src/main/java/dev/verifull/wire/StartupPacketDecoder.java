package dev.verifull.wire;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;

/**
 * Decodes the packet a client sends first, checking what PostgreSQL's ProcessStartupPacket
 * (backend_startup.c) checks, so the proxy refuses early what the server would refuse anyway.
 * Stateless: which packet may follow which (SSLRequest once, ...) is the caller's business, as is
 * direct TLS (a leading 0x16, which here would read as an absurd length).
 */
public final class StartupPacketDecoder {
    /**
     * {@code MAX_STARTUP_PACKET_LENGTH} in pqcomm.h. Applied to the whole packet, length word
     * included; the server does not count those 4 bytes, so this is 4 bytes stricter. No real
     * client comes near either.
     */
    public static final int MAX_PACKET_LENGTH = 10_000;
    private static final int HEADER_LENGTH = 8;
    private static final String LAYOUT = "invalid startup packet layout: ";

    private StartupPacketDecoder() {}

    /**
     * Returns null when {@code in} does not yet hold a whole packet (consumes nothing then);
     * otherwise consumes exactly the packet's bytes and returns it. A bad length or code is
     * refused as soon as its 4 or 8 bytes are there, without waiting for the rest. On an
     * exception nothing is consumed.
     */
    public static StartupPacket decode(ByteBuf in) throws ProtocolViolationException {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 4) return null;
        int length = in.getInt(start);
        if (length < HEADER_LENGTH) {
            throw new ProtocolViolationException("startup packet length " + length
                    + " is below the minimum of " + HEADER_LENGTH + " bytes");
        }
        if (length > MAX_PACKET_LENGTH) {
            throw new ProtocolViolationException("startup packet length " + length
                    + " exceeds the limit of " + MAX_PACKET_LENGTH + " bytes");
        }
        if (readable < HEADER_LENGTH) return null;
        int code = in.getInt(start + 4);
        checkHeader(code, length);
        if (readable < length) return null;

        StartupPacket packet = switch (code) {
            case SslRequest.CODE -> new SslRequest();
            case GssEncRequest.CODE -> new GssEncRequest();
            case CancelRequest.CODE -> cancelRequest(in, start, length);
            default -> startupMessage(in, start, length);
        };
        in.skipBytes(length);
        return packet;
    }

    private static void checkHeader(int code, int length) throws ProtocolViolationException {
        switch (code) {
            case SslRequest.CODE -> expectLength("SSLRequest", length, SslRequest.LENGTH);
            case GssEncRequest.CODE -> expectLength("GSSENCRequest", length, GssEncRequest.LENGTH);
            case CancelRequest.CODE -> {
                if (length < CancelRequest.MIN_LENGTH || length > CancelRequest.MAX_LENGTH) {
                    throw new ProtocolViolationException("invalid CancelRequest length " + length
                            + ": expected " + CancelRequest.MIN_LENGTH + " to " + CancelRequest.MAX_LENGTH
                            + " bytes (a secret key of " + SecretKeys.MIN_LENGTH + " to "
                            + SecretKeys.MAX_LENGTH + " bytes)");
                }
            }
            default -> {
                // Servers since 14 speak only 3.x; a newer 3.x minor is the server's to
                // negotiate down with NegotiateProtocolVersion, so it passes.
                if (code >>> 16 != 3) {
                    throw new ProtocolViolationException("unsupported protocol version "
                            + (code >>> 16) + "." + (code & 0xFFFF));
                }
            }
        }
    }

    private static void expectLength(String name, int length, int expected) throws ProtocolViolationException {
        if (length != expected) {
            throw new ProtocolViolationException("invalid " + name + " length " + length
                    + ": expected " + expected + " bytes");
        }
    }

    private static CancelRequest cancelRequest(ByteBuf in, int start, int length) {
        byte[] key = new byte[length - CancelRequest.HEADER_LENGTH];
        in.getBytes(start + CancelRequest.HEADER_LENGTH, key);
        return new CancelRequest(in.getInt(start + 8), key);
    }

    private static StartupMessage startupMessage(ByteBuf in, int start, int length)
            throws ProtocolViolationException {
        byte[] raw = new byte[length];
        in.getBytes(start, raw);
        Map<String, String> params = parameters(raw);
        String user = params.get("user");
        if (user == null || user.isEmpty()) {
            throw new ProtocolViolationException("no PostgreSQL user name specified in startup packet");
        }
        return new StartupMessage(in.getInt(start + 4), params, raw);
    }

    /** Name/value pairs up to an empty name, which must be the packet's last byte. */
    private static Map<String, String> parameters(byte[] raw) throws ProtocolViolationException {
        Map<String, String> params = new LinkedHashMap<>();
        int end = raw.length;
        int pos = HEADER_LENGTH;
        while (true) {
            if (pos >= end) throw new ProtocolViolationException(LAYOUT + "expected terminator as last byte");
            int nameEnd = CStrings.nul(raw, pos, end);
            if (nameEnd < 0) {
                throw new ProtocolViolationException(LAYOUT + "a parameter name is not NUL-terminated");
            }
            if (nameEnd == pos) {
                if (pos != end - 1) {
                    throw new ProtocolViolationException(LAYOUT + "expected terminator as last byte");
                }
                return params;
            }
            int valueEnd = CStrings.nul(raw, nameEnd + 1, end);
            if (valueEnd < 0) {
                throw new ProtocolViolationException(LAYOUT + "a parameter has no NUL-terminated value");
            }
            params.put(CStrings.utf8(raw, pos, nameEnd), CStrings.utf8(raw, nameEnd + 1, valueEnd));
            pos = valueEnd + 1;
        }
    }
}
