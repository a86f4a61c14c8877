package dev.verifull.app;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import dev.verifull.app.profiles.ProfileTools;
import dev.verifull.check.UpstreamTestResult;
import dev.verifull.connect.ConnectionString;
import dev.verifull.profile.CertificateFileInfo;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.UpstreamDiagnosis;

/** The real profile tools, except that a test may hand out the upstream test's result itself. */
public final class TestTools implements ProfileTools {
    private final ProfileTools real;
    public volatile CompletableFuture<UpstreamTestResult> nextTest;
    public final AtomicInteger testsRun = new AtomicInteger();
    /** Fixed, so texts that depend on it do not depend on the machine. */
    public volatile int ioThreads = 2;

    public TestTools(Path base) {
        this.real = ProfileTools.forAppData(base);
    }

    @Override
    public Map<ProfileValidator.Field, String> validate(Profile profile, Collection<String> otherNames) {
        return real.validate(profile, otherNames);
    }

    @Override
    public List<CertificateFileInfo.Entry> describeCertificates(Path file) throws TlsConfigException {
        return real.describeCertificates(file);
    }

    @Override
    public Path importFile(Path source) throws TlsConfigException, IOException {
        return real.importFile(source);
    }

    @Override
    public int suggestListenPort(Set<Integer> taken) {
        return real.suggestListenPort(taken);
    }

    @Override
    public List<ConnectionString> connectionStrings(Profile profile, String host, int port, boolean tailscaleCertificate) {
        return real.connectionStrings(profile, host, port, tailscaleCertificate);
    }

    @Override
    public CompletableFuture<UpstreamTestResult> testUpstream(Profile profile, Executor executor) {
        testsRun.incrementAndGet();
        CompletableFuture<UpstreamTestResult> held = nextTest;
        return held != null ? held : real.testUpstream(profile, executor);
    }

    @Override
    public int ioThreads() {
        return ioThreads;
    }

    public static UpstreamTestResult verified() {
        return new UpstreamTestResult(true, "localhost:5432", "localhost", "CA file ca.pem", "TLSv1.3", "TLS_AES_128_GCM_SHA256",
                null, List.of(), 12, null, Set.of(), List.of());
    }

    public static UpstreamTestResult failed(String message) {
        return new UpstreamTestResult(false, "localhost:5432", "localhost", null, null, null, null, List.of(), 12,
                new UpstreamDiagnosis(UpstreamDiagnosis.Kind.UNTRUSTED, message, "", ""), Set.of(), List.of());
    }
}
