package dev.verifull.upstream;

import java.time.Duration;
import java.util.Objects;

import dev.verifull.tls.UpstreamTls;

/**
 * The upstream server to open a verified connection to, and the time it may take: what an
 * engine's sessions and "Test upstream" share.
 *
 * @param serverName       the name the certificate must match; null or blank means the host
 * @param handshakeTimeout the TLS handshake's own limit; zero leaves only the overall deadline
 */
public record UpstreamTarget(String host, int port, String serverName, boolean directTls, UpstreamTls tls,
                             Duration connectTimeout, Duration handshakeTimeout) {

    public UpstreamTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }

    /** The name the certificate is checked against. */
    public String verifiedName() {
        return verifiedName(host, serverName);
    }

    /** {@code host:port}, an IPv6 address in brackets. */
    public String endpoint() {
        return endpoint(host, port);
    }

    /** From the start of the attempt (name lookup included) to a verified connection, at the most. */
    public Duration deadline() {
        return connectTimeout.plus(handshakeTimeout);
    }

    public static String verifiedName(String host, String serverName) {
        return serverName != null && !serverName.isBlank() ? serverName : host;
    }

    public static String endpoint(String host, int port) {
        String h = host == null ? "" : host;
        return (h.contains(":") && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
    }
}
