package dev.verifull.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.profile.Profile;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.testing.TestPki;

/** When a certificate warrants a warning, what it says, and how often it is announced. */
class CertificateExpiryTest {
    private final Instant now = Instant.parse("2026-12-03T12:00:00Z");

    @TempDir
    Path dir;

    private CertificateExpiry ca(long daysLeft) {
        return new CertificateExpiry(CertificateExpiry.Role.CA, "CN=Root", "/etc/ca.pem", now.plus(Duration.ofDays(daysLeft)));
    }

    @Test
    void thirtyDaysOrLessOrExpiredWarrantAWarning() {
        assertFalse(ca(31).warrantsWarning(now));
        assertTrue(ca(29).warrantsWarning(now));
        assertTrue(ca(-2).warrantsWarning(now));
        assertEquals(12.0, ca(12).daysLeft(now));
        assertEquals("The CA certificate CN=Root in /etc/ca.pem expires in 12 days (2026-12-15): replace it before then, "
                + "or every client will be refused.", ca(12).warning(now));
        assertEquals("The CA certificate CN=Root in /etc/ca.pem expired on 2026-12-01: clients are refused until it is replaced.",
                ca(-2).warning(now));
        assertEquals("A CA certificate expires in 1 day", ca(1).headline(now));
        assertEquals("A CA certificate has expired", ca(-2).headline(now));
    }

    @Test
    void eachCertificateIsAnnouncedAtMostOnceADay() {
        ExpiryNotices notices = new ExpiryNotices(ZoneOffset.UTC);
        List<CertificateExpiry> all = List.of(ca(12), ca(90));
        assertEquals(List.of(ca(12)), notices.due("orders", all, now), "only what warrants a warning");
        assertEquals(List.of(), notices.due("orders", all, now.plus(Duration.ofHours(11))), "not again the same day");
        assertEquals(List.of(ca(12)), notices.due("billing", all, now), "another profile's is its own");
        assertEquals(List.of(ca(12)), notices.due("orders", all, now.plus(Duration.ofHours(13))), "the next day, again");
    }

    /** The watch's verdicts carry the server's certificate as the check saw it and every certificate in the CA files. */
    @Test
    void verdictsCarryTheExpiriesOfTheServerAndTheCaFiles() throws Exception {
        Instant real = Instant.now();
        TestPki.Issued root = TestPki.ca("Expiring Root", null, real.minus(Duration.ofDays(1)), real.plus(Duration.ofDays(10)));
        TestPki.Issued leaf = TestPki.server(root, real.minus(Duration.ofDays(1)), real.plus(Duration.ofDays(200)), false, "db.example.com");
        Path caFile = root.writeCertificate(dir.resolve("ca.pem"));
        Profile p = new Profile("orders", "db.example.com", 5432, null, List.of(caFile.toString()), false, null, null,
                false, false, 6432, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "app", "app", false, "jdk", 200, 0, 0);
        UpstreamTestResult ok = new UpstreamTestResult(true, "db.example.com:5432", "db.example.com", "CA file", "TLSv1.3", "x",
                null, List.of(CertificateSummary.of(leaf.certificate())), 3, null, Set.of(), List.of());
        List<UpstreamWatch.Verdict> verdicts = new CopyOnWriteArrayList<>();
        try (UpstreamWatch watch = new UpstreamWatch((x, e) -> CompletableFuture.completedFuture(ok), Runnable::run, verdicts::add,
                Duration.ofHours(1), Clock.systemUTC())) {
            watch.started(p);
            watch.awaitIdle();
            watch.awaitIdle();
        }
        UpstreamWatch.Verdict v = verdicts.get(verdicts.size() - 1);
        assertEquals(UpstreamWatch.State.VERIFIED, v.state());
        assertEquals(2, v.expiries().size(), v.expiries().toString());
        assertEquals(CertificateExpiry.Role.UPSTREAM, v.expiries().get(0).role());
        assertEquals(CertificateExpiry.Role.CA, v.expiries().get(1).role());
        assertEquals(caFile.toString(), v.expiries().get(1).source());
        List<CertificateExpiry> soon = v.expiringSoon(Instant.now());
        assertEquals(1, soon.size(), "the CA's 10 days, not the server's 200");
        assertEquals(CertificateExpiry.Role.CA, soon.get(0).role());
    }
}
