package dev.verifull.metrics;

import java.time.Instant;
import java.util.List;

/**
 * The upstream's state and the expiry of the certificates trust depends on, as metrics. The
 * {@code subject} and {@code source} labels come from the configuration (a CA file and the
 * certificates in it) or from the verified upstream's own certificate, never from a client, so
 * they stay few; a certificate replaced by a new one gives a new series, as Prometheus expects.
 */
public final class UpstreamMetrics {
    /**
     * @param role    {@code upstream} (the server's own certificate) or {@code ca} (a configured CA)
     * @param subject the certificate's subject
     * @param source  the upstream endpoint, or the CA file
     * @param days    days until it expires, fractional; negative once expired
     */
    public record Expiry(String role, String subject, String source, double days) {}

    private UpstreamMetrics() {}

    /** @param lastVerified null when never verified */
    public static void write(Exposition out, boolean verifiedRecently, Instant lastVerified, List<Expiry> expiries) {
        out.family("verifull_upstream_verified", Exposition.Type.GAUGE,
                "1 when the upstream verified recently (as /readyz needs) and was not refused since, else 0.");
        out.sample("verifull_upstream_verified", verifiedRecently ? 1 : 0);
        out.family("verifull_upstream_last_verified_timestamp_seconds", Exposition.Type.GAUGE,
                "When a check or a session last verified the upstream (Unix time); absent before the first.");
        if (lastVerified != null) out.sample("verifull_upstream_last_verified_timestamp_seconds", lastVerified.toEpochMilli() / 1000.0);
        out.family("verifull_certificate_expiry_days", Exposition.Type.GAUGE,
                "Days until a certificate expires (negative once expired): role upstream is the server's own as last seen, "
                        + "role ca each certificate in the configured CA files.");
        for (Expiry e : expiries) {
            out.sample("verifull_certificate_expiry_days", Math.round(e.days() * 1000) / 1000.0,
                    "role", e.role(), "subject", e.subject(), "source", e.source());
        }
    }
}
