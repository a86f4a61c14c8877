package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import dev.verifull.tls.UpstreamDiagnosis;
import dev.verifull.tls.UpstreamDiagnosis.Kind;

/** What a client is told when no verified upstream connection came about. */
class RefusalTest {

    @Test
    void aVerificationFailureIsToldWithTheServerItConcerns() {
        Refusal r = Refusal.upstream(new UpstreamDiagnosis(Kind.HOSTNAME_MISMATCH,
                "certificate name mismatch: not valid for \"db\"", "Names: other", "Connect to a name it lists."), "db:5432");
        assertEquals("verifull: upstream db:5432: certificate name mismatch: not valid for \"db\"", r.message());
        assertEquals(RefusalReason.HOSTNAME_MISMATCH, r.reason());
        assertEquals("08001", r.sqlState());
        assertEquals("Names: other", r.detail());
        assertEquals("Connect to a name it lists.", r.hint());
    }

    @Test
    void aConnectionFailureNamesTheServerItself() {
        Refusal r = Refusal.upstream(new UpstreamDiagnosis(Kind.NO_TLS,
                "the upstream server db:5432 does not accept TLS connections", null, "Turn on ssl."), "db:5432");
        assertEquals("verifull: the upstream server db:5432 does not accept TLS connections", r.message());
        assertEquals(RefusalReason.UPSTREAM_NO_TLS, r.reason());
        assertNull(r.detail(), "no empty detail field on the wire");
    }
}
