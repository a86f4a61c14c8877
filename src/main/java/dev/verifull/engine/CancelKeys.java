package dev.verifull.engine;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backend keys (process id + secret key) this engine has relayed in a BackendKeyData. Only those
 * may be cancelled through the engine; anything else is dropped, as PostgreSQL does.
 */
public final class CancelKeys {
    private record Key(int processId, byte[] secret) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.processId == processId && Arrays.equals(k.secret, secret);
        }

        @Override
        public int hashCode() {
            return 31 * processId + Arrays.hashCode(secret);
        }
    }

    private final Map<Key, Long> keys = new ConcurrentHashMap<>();

    public void register(int processId, byte[] secret, long sessionId) {
        keys.put(new Key(processId, secret.clone()), sessionId);
    }

    public void forget(long sessionId) {
        keys.values().removeIf(id -> id == sessionId);
    }

    /** The session the key belongs to, or null if this engine never relayed it. */
    public Long sessionFor(int processId, byte[] secret) {
        return keys.get(new Key(processId, secret));
    }
}
