package dev.verifull.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.verifull.tls.TrustReload;

class TrustReloadMetricsTest {
    @Test
    void aFailedReloadIsCountedAndFlaggedUntilAGoodOneFollows() {
        TrustReloadMetrics m = new TrustReloadMetrics();
        assertTrue(text(m).contains("verifull_trust_reload_failing 0"), text(m));

        m.accept(new TrustReload(false, Instant.now(), "CA file a.pem", "no certificate", "SIGHUP"));
        String failing = text(m);
        assertTrue(failing.contains("verifull_trust_reload_failing 1"), failing);
        assertTrue(failing.contains("verifull_trust_reloads_total{result=\"failed\"} 1"), failing);

        m.accept(new TrustReload(true, Instant.now(), "CA file a.pem", null, "file changed"));
        String fixed = text(m);
        assertTrue(fixed.contains("verifull_trust_reload_failing 0"), fixed);
        assertTrue(fixed.contains("verifull_trust_reloads_total{result=\"ok\"} 1"), fixed);
    }

    private static String text(TrustReloadMetrics m) {
        Exposition out = new Exposition();
        m.write(out);
        return out.toString();
    }
}
