package dev.verifull.wire;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * BackendKeyData: {@code K}, Int32 length, Int32 process id, then the secret key to the end of
 * the frame (4 bytes in protocol 3.0, 4 to 256 in 3.2). The key is copied in and out; equality
 * uses its content.
 */
public record BackendKeyData(int processId, byte[] secretKey) {
    public BackendKeyData {
        secretKey = SecretKeys.checkedCopy(secretKey);
    }

    @Override
    public byte[] secretKey() {
        return secretKey.clone();
    }

    /** Reads a whole frame (type and length included) without moving its reader index. */
    public static BackendKeyData decodeFrame(ByteBuf frame) throws ProtocolViolationException {
        int length = BackendMessage.checkFrame(frame, BackendMessage.BACKEND_KEY_DATA, "BackendKeyData");
        int keyLength = length - 8;
        if (!SecretKeys.validLength(keyLength)) {
            throw new ProtocolViolationException("BackendKeyData has a secret key of " + keyLength
                    + " bytes; expected " + SecretKeys.MIN_LENGTH + " to " + SecretKeys.MAX_LENGTH);
        }
        int start = frame.readerIndex();
        byte[] key = new byte[keyLength];
        frame.getBytes(start + 9, key);
        return new BackendKeyData(frame.getInt(start + 5), key);
    }

    public ByteBuf encode(ByteBufAllocator a) {
        int length = 8 + secretKey.length;
        return a.buffer(1 + length).writeByte(BackendMessage.BACKEND_KEY_DATA).writeInt(length)
                .writeInt(processId).writeBytes(secretKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BackendKeyData k && k.processId == processId && Arrays.equals(k.secretKey, secretKey);
    }

    @Override
    public int hashCode() {
        return 31 * processId + Arrays.hashCode(secretKey);
    }

    @Override
    public String toString() {
        return "BackendKeyData[processId=" + processId + ", secretKey=" + SecretKeys.hex(secretKey) + "]";
    }
}
