package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import dev.verifull.audit.AuditEvent;
import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.FakeUpstream;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestPki;
import dev.verifull.tls.TlsProvider;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way an upstream can fail verification or misbehave: the client (psql and pgJDBC) reads a
 * Verifull ErrorResponse that says what happened, the session record and the audit log carry the
 * refusal, and the client's StartupMessage never reaches the bad upstream.
 */
class UpstreamRefusalTest {
    private static final TestPki.Issued CA = TestPki.rootCa("Refusal Test CA");
    private static final TestPki.Issued OTHER_CA = TestPki.rootCa("Some Other CA");

    @TempDir
    Path dir;

    record Case(String name, FakeUpstream.Mode mode, TestPki.Issued cert, RefusalReason reason, String clientText) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Instant now = Instant.now();
        return Stream.of(
                new Case("untrusted CA", FakeUpstream.Mode.TLS, TestPki.server(OTHER_CA, "localhost", "127.0.0.1"),
                        RefusalReason.CERTIFICATE_UNTRUSTED, "not trusted"),
                new Case("wrong host name", FakeUpstream.Mode.TLS, TestPki.server(CA, "db.example.com"),
                        RefusalReason.HOSTNAME_MISMATCH, "127.0.0.1"),
                new Case("expired", FakeUpstream.Mode.TLS,
                        TestPki.server(CA, now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)), false, "localhost", "127.0.0.1"),
                        RefusalReason.CERTIFICATE_EXPIRED, "expired"),
                new Case("not yet valid", FakeUpstream.Mode.TLS,
                        TestPki.server(CA, now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30)), false, "localhost", "127.0.0.1"),
                        RefusalReason.CERTIFICATE_NOT_YET_VALID, "not yet valid"),
                new Case("self-signed", FakeUpstream.Mode.TLS, TestPki.selfSignedServer("localhost", "127.0.0.1"),
                        RefusalReason.CERTIFICATE_SELF_SIGNED, "self-signed"),
                new Case("answers N", FakeUpstream.Mode.ANSWER_N, null, RefusalReason.UPSTREAM_NO_TLS, "does not accept TLS"),
                new Case("answers an error", FakeUpstream.Mode.ANSWER_ERROR, null, RefusalReason.UPSTREAM_ERROR,
                        "answered the TLS request with an error"),
                new Case("closes mid-handshake", FakeUpstream.Mode.CLOSE_MID_HANDSHAKE, null,
                        RefusalReason.UPSTREAM_TLS_HANDSHAKE, "verifull: upstream"),
                new Case("talks plaintext", FakeUpstream.Mode.PLAINTEXT, null, RefusalReason.UPSTREAM_PROTOCOL,
                        "did not answer the TLS request as PostgreSQL does"),
                new Case("injects data after S", FakeUpstream.Mode.S_THEN_DATA, null, RefusalReason.UPSTREAM_PROTOCOL,
                        "unencrypted data after agreeing to TLS"));
    }

    static Stream<Arguments> casesWithProviders() {
        return cases().flatMap(c -> Stream.of(TlsProvider.values())
                .filter(p -> c.mode() == FakeUpstream.Mode.TLS || p == TlsProvider.JDK)
                .map(p -> Arguments.of(c, p)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("casesWithProviders")
    void psqlReadsTheRefusal(Case c, TlsProvider provider) throws Exception {
        Path caFile = CA.writeCertificate(dir.resolve("ca.pem"));
        try (FakeUpstream upstream = new FakeUpstream(c.mode(), c.cert());
             EngineHarness h = EngineHarness.builder(dir, upstream.port()).ca(caFile).provider(provider).start()) {
            Psql.Result r = Psql.system().run("host=127.0.0.1 port=" + h.port() + " user=mallory dbname=secretdb sslmode=prefer",
                    "select 1", Duration.ofSeconds(30));
            assertFalse(r.ok(), r.toString());
            assertTrue(r.stderr().contains("verifull: "), r.stderr());
            assertTrue(r.stderr().contains(c.clientText()), r.stderr());
            assertTrue(r.stderr().contains("HINT:"), "psql shows the hint: " + r.stderr());

            SessionEvent refused = h.awaitType(SessionEvent.Type.REFUSED);
            assertEquals(Outcome.REFUSED, refused.record().outcome());
            assertEquals(c.reason(), refused.record().refusalReason());
            assertEquals("mallory", refused.record().user());
            assertEquals("secretdb", refused.record().database());
            String hint = refused.record().hint();
            assertTrue(hint != null && r.stderr().contains("HINT:  " + hint.lines().findFirst().orElseThrow()),
                    "the record keeps the hint the client was shown: " + hint + " / " + r.stderr());
            assertEquals(refused.record().detail() != null, r.stderr().contains("DETAIL:"), "and the detail when there was one");
            assertEquals(ClientTransport.TLS, refused.record().clientTransport(), "psql prefer negotiated TLS with Verifull");

            List<AuditEvent> audit = h.auditRecords();
            assertTrue(audit.stream().anyMatch(a -> a.event().equals("session.refused")
                    && c.reason().code().equals(a.fields().get("refusal_reason")) && hint.equals(a.get("hint"))), "audit: " + audit);

            assertNeverReceivedStartup(upstream);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void pgJdbcReadsTheRefusal(Case c) throws Exception {
        Path caFile = CA.writeCertificate(dir.resolve("ca.pem"));
        try (FakeUpstream upstream = new FakeUpstream(c.mode(), c.cert());
             EngineHarness h = EngineHarness.builder(dir, upstream.port()).ca(caFile).start()) {
            SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + h.port() + "/secretdb?sslmode=disable&connectTimeout=20",
                    "mallory", "pw").close());
            assertTrue(e.getMessage().contains("verifull: ") && e.getMessage().contains(c.clientText()), e.getMessage());
            assertEquals(c.reason().sqlState(), e.getSQLState());
            assertEquals(c.reason(), h.awaitType(SessionEvent.Type.REFUSED).record().refusalReason());
            assertNeverReceivedStartup(upstream);
        }
    }

    private static void assertNeverReceivedStartup(FakeUpstream upstream) {
        String got = new String(upstream.receivedAfterSslRequest(), StandardCharsets.ISO_8859_1);
        assertFalse(got.contains("mallory") || got.contains("secretdb"),
                "the bad upstream must never see the client's StartupMessage, but got: " + got);
    }
}
