package dev.verifull.app.profiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.verifull.check.UpstreamTestResult;
import dev.verifull.check.UpstreamTester;
import dev.verifull.connect.ConnectionString;
import dev.verifull.connect.ConnectionStrings;
import dev.verifull.engine.NettyTransport;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.CertificateFileInfo;
import dev.verifull.profile.CertificateImporter;
import dev.verifull.profile.FreePorts;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsConfigException;

/**
 * What the window needs from the profile and manager packages besides running engines: validation,
 * certificate files, a free port, connection strings and the upstream test. One seam, so a test can
 * hold a result back or fail an import; {@link #forAppData} is the real thing.
 */
public interface ProfileTools {
    /** Field → message for every problem; empty when the profile can be saved. */
    Map<ProfileValidator.Field, String> validate(Profile profile, Collection<String> otherNames);

    /** Every certificate in a PEM file with its warnings. Blocking (file I/O): off the FX thread. */
    List<CertificateFileInfo.Entry> describeCertificates(Path file) throws TlsConfigException;

    /** Copies a CA or client certificate/key file into the app-data dir; returns the copy. Blocking. */
    Path importFile(Path source) throws TlsConfigException, IOException;

    /** First port from 6432 that is free here and not taken by another profile. Blocking (binds). */
    int suggestListenPort(Set<Integer> taken);

    /**
     * Every connection string form for the profile's engine at {@code host:port}, for this computer's shells.
     *
     * @param tailscaleCertificate clients are shown the Tailscale certificate (verify it with the system's CAs),
     *                             not the local CA's
     */
    List<ConnectionString> connectionStrings(Profile profile, String host, int port, boolean tailscaleCertificate);

    /** Never completes exceptionally; completes on {@code executor}. */
    CompletableFuture<UpstreamTestResult> testUpstream(Profile profile, Executor executor);

    /** The engines' I/O threads: warm upstream connections are kept per thread. */
    int ioThreads();

    /** The profile and manager packages' implementations, importing into {@code base}'s {@code ca/} folder. */
    static ProfileTools forAppData(Path base) {
        CertificateImporter importer = CertificateImporter.forAppData(base);
        return new ProfileTools() {
            @Override
            public Map<ProfileValidator.Field, String> validate(Profile profile, Collection<String> otherNames) {
                return ProfileValidator.validate(profile, otherNames);
            }

            @Override
            public List<CertificateFileInfo.Entry> describeCertificates(Path file) throws TlsConfigException {
                return CertificateFileInfo.read(file);
            }

            @Override
            public Path importFile(Path source) throws TlsConfigException, IOException {
                return importer.importFile(source);
            }

            @Override
            public int suggestListenPort(Set<Integer> taken) {
                return FreePorts.firstFreeFrom(Profile.DEFAULT_LISTEN_PORT, taken);
            }

            @Override
            public List<ConnectionString> connectionStrings(Profile profile, String host, int port, boolean tailscaleCertificate) {
                String root = tailscaleCertificate ? "system" : LocalCa.certificateFileIn(AppDataDir.localCa(base)).toString();
                return ConnectionStrings.forProfile(profile, new ConnectionStrings.Target(host, port, ConnectionStrings.Platform.current(), root));
            }

            @Override
            public CompletableFuture<UpstreamTestResult> testUpstream(Profile profile, Executor executor) {
                return UpstreamTester.test(profile, executor);
            }

            @Override
            public int ioThreads() {
                return NettyTransport.defaultThreads(); // what the app's shared transport is made with
            }
        };
    }
}
