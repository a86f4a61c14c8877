package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditFields;
import dev.verifull.engine.Admission;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRecord;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local-only mode: loopback clients are this machine's user, and Tailscale is not asked. */
class LocalOnlyAdmissionTest {
    private static final String ME = System.getProperty("user.name");

    @TempDir
    Path dir;

    @Test
    void loopbackIsTheLocalUserAnythingElseIsRefused() {
        LocalOnlyAdmission local = new LocalOnlyAdmission();
        Admission a = local.admit(new InetSocketAddress("127.0.0.1", 50000)).toCompletableFuture().join();
        assertTrue(a.allowed());
        assertEquals(LocalOnlyAdmission.SOURCE, a.identity().source());
        assertEquals(ME, a.identity().loginName());
        assertTrue(local.admit(new InetSocketAddress("::1", 50000)).toCompletableFuture().join().allowed());

        Admission lan = local.admit(new InetSocketAddress("192.168.1.20", 50000)).toCompletableFuture().join();
        assertFalse(lan.allowed());
        assertEquals(RefusalReason.ACCESS_DENIED, lan.refusal().reason());
        assertTrue(lan.refusal().message().startsWith("verifull: 192.168.1.20 is not this computer"), lan.refusal().message());
    }

    @Test
    void psqlIsRecordedAsTheLocalUser() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        try (EngineHarness h = EngineHarness.builder(dir, pg.port()).ca(TestCa.shared().caFile())
                .admission(new LocalOnlyAdmission()).start()) {
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=postgres dbname=postgres sslmode=require",
                    "select 'local'", Duration.ofSeconds(30));
            assertTrue(r.ok(), r.toString());
            SessionRecord s = h.awaitType(SessionEvent.Type.START).record();
            assertEquals(ME, s.identity().loginName());
            assertTrue(s.accessDecision().startsWith("allowed: local user"), s.accessDecision());
            AuditEvent line = h.auditRecords().stream().filter(e -> e.event().equals(AuditEvent.SESSION_START)).findFirst().orElseThrow();
            assertEquals(ME, line.get(AuditFields.LOCAL_USER));
            assertNull(line.get(AuditFields.TAILSCALE_LOGIN), "a local user is not a Tailscale identity");
        }
    }
}
