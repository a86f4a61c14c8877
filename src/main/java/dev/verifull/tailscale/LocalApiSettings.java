package dev.verifull.tailscale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach tailscaled.
 *
 * @param socket          a Unix socket path (or Windows pipe path) to use instead of discovery; null = discover
 * @param tailscaleCommand the {@code tailscale} CLI for the fallback; null = look on PATH and in the usual places
 * @param requestTimeout  limit for status and whois calls
 * @param certTimeout     limit for cert calls; a first issuance through ACME takes tens of seconds
 */
public record LocalApiSettings(Path socket, Path tailscaleCommand, Duration requestTimeout, Duration certTimeout) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(2500);
    public static final Duration DEFAULT_CERT_TIMEOUT = Duration.ofSeconds(120);

    public LocalApiSettings {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(certTimeout, "certTimeout");
        if (requestTimeout.isNegative() || requestTimeout.isZero()) throw new IllegalArgumentException("requestTimeout");
        if (certTimeout.isNegative() || certTimeout.isZero()) throw new IllegalArgumentException("certTimeout");
    }

    public static LocalApiSettings defaults() {
        return new LocalApiSettings(null, null, DEFAULT_REQUEST_TIMEOUT, DEFAULT_CERT_TIMEOUT);
    }

    public LocalApiSettings withSocket(Path socket) {
        return new LocalApiSettings(socket, tailscaleCommand, requestTimeout, certTimeout);
    }

    public LocalApiSettings withTailscaleCommand(Path command) {
        return new LocalApiSettings(socket, command, requestTimeout, certTimeout);
    }

    public LocalApiSettings withRequestTimeout(Duration timeout) {
        return new LocalApiSettings(socket, tailscaleCommand, timeout, certTimeout);
    }

    public LocalApiSettings withCertTimeout(Duration timeout) {
        return new LocalApiSettings(socket, tailscaleCommand, requestTimeout, timeout);
    }
}
