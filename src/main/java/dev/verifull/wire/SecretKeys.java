package dev.verifull.wire;

import java.util.HexFormat;
import java.util.Objects;

/** Checks shared by CancelRequest and BackendKeyData, whose keys follow the same rule. */
final class SecretKeys {
    /** Protocol 3.0 keys are 4 bytes; 3.2 allows 4 to 256 (the server itself sends 32). */
    static final int MIN_LENGTH = 4;
    static final int MAX_LENGTH = 256;

    private SecretKeys() {}

    static byte[] checkedCopy(byte[] key) {
        Objects.requireNonNull(key, "secretKey");
        if (!validLength(key.length)) {
            throw new IllegalArgumentException("secret key of " + key.length + " bytes; expected "
                    + MIN_LENGTH + " to " + MAX_LENGTH);
        }
        return key.clone();
    }

    static boolean validLength(int length) {
        return length >= MIN_LENGTH && length <= MAX_LENGTH;
    }

    static String hex(byte[] key) {
        return HexFormat.of().formatHex(key);
    }
}
