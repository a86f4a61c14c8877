package dev.verifull.wire;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * StartupMessage: Int32 length, Int32 protocol version (major &lt;&lt; 16 | minor), then name/value
 * C-string pairs ended by one extra NUL.
 *
 * <p>{@code raw} is the whole packet as received (length word included) and is what gets
 * forwarded, so the server sees exactly the client's bytes even where the decoded map could not
 * reproduce them (repeated names, invalid UTF-8). {@code parameters} keeps first-seen order and,
 * like the server, the last value of a repeated name. Arrays are copied in and out.
 */
public record StartupMessage(int protocolVersion, Map<String, String> parameters, byte[] raw)
        implements StartupPacket {
    public static final int PROTOCOL_3_0 = 196608;
    public static final int PROTOCOL_3_2 = 196610;

    public StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(parameters, "parameters")));
        raw = Objects.requireNonNull(raw, "raw").clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    public int majorVersion() {
        return protocolVersion >>> 16;
    }

    public int minorVersion() {
        return protocolVersion & 0xFFFF;
    }

    /** Null if absent; the decoder refuses such packets, as the server does. */
    public String user() {
        return parameters.get("user");
    }

    /** The server connects to the database named like the user when none (or "") is given. */
    public String database() {
        String database = parameters.get("database");
        return database == null || database.isEmpty() ? user() : database;
    }

    public String applicationName() {
        return parameters.get("application_name");
    }

    /** The raw bytes unchanged. */
    public ByteBuf encode(ByteBufAllocator a) {
        return a.buffer(raw.length).writeBytes(raw);
    }

    /**
     * Builds the packet a client would send. Names must be non-empty (an empty name is the
     * terminator); no string may contain NUL. Nothing else is checked, so tests can build
     * packets the decoder refuses (missing user, other protocol versions, oversized).
     */
    public static StartupMessage of(int protocolVersion, Map<String, String> params) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[8]); // length and version, filled in below
        params.forEach((name, value) -> {
            if (name.isEmpty()) throw new IllegalArgumentException("empty parameter name");
            out.writeBytes(CStrings.bytes(name, "parameter name"));
            out.write(0);
            out.writeBytes(CStrings.bytes(Objects.requireNonNull(value, name), "value of " + name));
            out.write(0);
        });
        out.write(0);
        byte[] raw = out.toByteArray();
        putInt(raw, 0, raw.length);
        putInt(raw, 4, protocolVersion);
        return new StartupMessage(protocolVersion, params, raw);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StartupMessage m && m.protocolVersion == protocolVersion
                && m.parameters.equals(parameters) && Arrays.equals(m.raw, raw);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocolVersion, parameters, Arrays.hashCode(raw));
    }

    @Override
    public String toString() {
        return "StartupMessage[protocol=" + majorVersion() + "." + minorVersion()
                + ", parameters=" + parameters + ", raw=" + raw.length + " bytes]";
    }
}
