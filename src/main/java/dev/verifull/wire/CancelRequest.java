package dev.verifull.wire;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * CancelRequest: Int32 length, code, Int32 process id, then the secret key up to the end of the
 * packet (4 bytes in protocol 3.0, 4 to 256 in 3.2). The server never answers; it just closes.
 * The key is copied in and out so the record stays immutable; equality uses its content.
 */
public record CancelRequest(int processId, byte[] secretKey) implements StartupPacket {
    /** {@code PG_PROTOCOL(1234, 5678)} in pqcomm.h. */
    public static final int CODE = 80877102;
    /** Length, code and process id come before the key. */
    static final int HEADER_LENGTH = 12;
    static final int MIN_LENGTH = HEADER_LENGTH + SecretKeys.MIN_LENGTH;
    static final int MAX_LENGTH = HEADER_LENGTH + SecretKeys.MAX_LENGTH;

    public CancelRequest {
        secretKey = SecretKeys.checkedCopy(secretKey);
    }

    @Override
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** 16 bytes with a 4-byte key (protocol 3.0), otherwise 12 + key length. */
    public ByteBuf encode(ByteBufAllocator a) {
        int length = HEADER_LENGTH + secretKey.length;
        return a.buffer(length).writeInt(length).writeInt(CODE).writeInt(processId).writeBytes(secretKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CancelRequest c && c.processId == processId && Arrays.equals(c.secretKey, secretKey);
    }

    @Override
    public int hashCode() {
        return 31 * processId + Arrays.hashCode(secretKey);
    }

    @Override
    public String toString() {
        return "CancelRequest[processId=" + processId + ", secretKey=" + SecretKeys.hex(secretKey) + "]";
    }
}
