package dev.verifull.audit;

import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One audit record: a fixed header (schema, time, event, session, engine) and a flat, ordered map
 * of further fields. Field values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}
 * or {@code List<String>}; other numbers are normalized on construction so a record read back
 * equals the record written. Null values are left out.
 *
 * <p>Field names in common use are in {@link AuditFields}.
 */
public record AuditEvent(int schema, Instant time, String event, String sessionId, String engine,
                         Map<String, Object> fields) {

    /** Version of the line format described in docs/audit-log.md. */
    public static final int SCHEMA_VERSION = 1;

    public static final String SESSION_START = "session.start";
    public static final String SESSION_END = "session.end";
    public static final String SESSION_REFUSED = "session.refused";

    /** Keys of the header; a field may not reuse them or the line would carry a duplicate key. */
    static final Set<String> HEADER_KEYS = Set.of("schema", "time", "event", "session", "engine");

    public AuditEvent {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(engine, "engine");
        time = time.truncatedTo(ChronoUnit.MILLIS); // the line carries milliseconds, no more
        fields = normalized(fields == null ? Map.of() : fields);
    }

    /** The value of a field, or null when the record does not carry it. */
    public Object get(String key) {
        return fields.get(key);
    }

    public static Builder builder(String event, String sessionId, String engine) {
        return new Builder(event, sessionId, engine);
    }

    /** Collects fields in the order they are put; the record is stamped with the current time unless told otherwise. */
    public static final class Builder {
        private final String event;
        private final String sessionId;
        private final String engine;
        private Instant time;
        private final Map<String, Object> fields = new LinkedHashMap<>();

        private Builder(String event, String sessionId, String engine) {
            this.event = Objects.requireNonNull(event, "event");
            this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
            this.engine = Objects.requireNonNull(engine, "engine");
        }

        public Builder time(Instant time) {
            this.time = time;
            return this;
        }

        public Builder put(String key, String value) {
            return putValue(key, value);
        }

        public Builder put(String key, Number value) {
            return putValue(key, value);
        }

        public Builder put(String key, Boolean value) {
            return putValue(key, value);
        }

        /** Null elements are dropped; an empty list is kept (it says "none"). */
        public Builder put(String key, List<String> values) {
            return putValue(key, values);
        }

        private Builder putValue(String key, Object value) {
            checkKey(key);
            if (value == null) {
                fields.remove(key);
            } else {
                fields.put(key, normalizedValue(key, value));
            }
            return this;
        }

        public AuditEvent build() {
            return new AuditEvent(SCHEMA_VERSION, time != null ? time : Instant.now(), event, sessionId, engine, fields);
        }
    }

    private static Map<String, Object> normalized(Map<String, Object> source) {
        Map<String, Object> copy = new LinkedHashMap<>();
        source.forEach((key, value) -> {
            checkKey(key);
            if (value != null) {
                copy.put(key, normalizedValue(key, value));
            }
        });
        return Collections.unmodifiableMap(copy);
    }

    private static void checkKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("audit field name must not be empty");
        }
        if (HEADER_KEYS.contains(key)) {
            throw new IllegalArgumentException("audit field name is reserved for the header: " + key);
        }
    }

    private static Object normalizedValue(String key, Object value) {
        if (value instanceof String || value instanceof Boolean || value instanceof Long) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof AtomicInteger || value instanceof AtomicLong) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.bitLength() < Long.SIZE) {
            return big.longValue();
        }
        if (value instanceof Number number) {
            double d = number.doubleValue();
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("audit field " + key + " is not a finite number: " + value);
            }
            return d;
        }
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>(list.size());
            for (Object element : list) {
                if (element != null) {
                    strings.add(element.toString());
                }
            }
            return List.copyOf(strings);
        }
        throw new IllegalArgumentException("audit field " + key + " has unsupported type " + value.getClass().getName());
    }
}
