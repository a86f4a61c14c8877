package dev.verifull.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.verifull.app.profiles.CertificateFacts;
import dev.verifull.app.profiles.ConnectionText;
import dev.verifull.app.profiles.ProfileField;
import dev.verifull.app.profiles.ProfileTools;
import dev.verifull.app.profiles.UpstreamCheck;
import dev.verifull.profile.Profile;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.PemFiles;
import dev.verifull.tls.TlsConfigException;

/** Test stand-in for the profile package's tools: a few rules, real PEM reading, fixed strings. */
public class StandInProfileTools implements ProfileTools {
    private final Path importDir;
    public volatile CompletableFuture<UpstreamCheck> nextTest;
    public volatile int testsRun;

    public StandInProfileTools(Path importDir) {
        this.importDir = importDir;
    }

    @Override
    public Map<ProfileField, String> validate(Profile p, Collection<String> otherNames) {
        Map<ProfileField, String> m = new EnumMap<>(ProfileField.class);
        if (p.name().isBlank()) m.put(ProfileField.NAME, "Give the profile a name.");
        else if (otherNames.contains(p.name())) m.put(ProfileField.NAME, "Another profile is called " + p.name() + ".");
        if (p.upstreamHost().isBlank()) m.put(ProfileField.UPSTREAM_HOST, "Enter the server's host name or address.");
        else if (p.upstreamHost().contains(" ")) m.put(ProfileField.UPSTREAM_HOST, "A host name has no spaces.");
        if (!p.systemTrust() && p.caFiles().isEmpty()) m.put(ProfileField.CA_FILES, "Add a CA file or use the system trust store.");
        if (p.listenPort() != 0 && p.listenPort() < 1024) m.put(ProfileField.LISTEN_PORT, "Use a port from 1024 up.");
        return m;
    }

    @Override
    public List<CertificateFacts> describeCertificates(Path file) throws IOException {
        try {
            List<CertificateFacts> out = new ArrayList<>();
            for (var cert : PemFiles.readCertificates(file)) {
                CertificateSummary s = CertificateSummary.of(cert);
                List<String> warnings = new ArrayList<>();
                if (!s.ca()) warnings.add("Not a CA certificate");
                if (s.notAfter().isBefore(Instant.now())) warnings.add("Expired");
                out.add(new CertificateFacts(s.subject(), s.issuer(), s.notBefore(), s.notAfter(), s.sha256Fingerprint(), s.ca(), warnings));
            }
            return out;
        } catch (TlsConfigException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public Path importFile(Path source) throws IOException {
        Files.createDirectories(importDir);
        return Files.copy(source, importDir.resolve(source.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public int suggestListenPort(Set<Integer> taken) {
        int p = 6432;
        while (taken.contains(p)) p++;
        return p;
    }

    @Override
    public List<ConnectionText> connectionStrings(Profile p, String host, int port) {
        String db = p.defaultDatabase() != null ? p.defaultDatabase() : "postgres";
        String user = p.defaultUser() != null ? p.defaultUser() : "postgres";
        return List.of(
                new ConnectionText("PSQL_COMMAND", "psql", "psql \"host=" + host + " port=" + port + " dbname=" + db + " user=" + user + " sslmode=disable\""),
                new ConnectionText("LIBPQ_URI", "libpq URI", "postgresql://" + user + "@" + host + ":" + port + "/" + db + "?sslmode=disable"),
                new ConnectionText("JDBC_URL", "JDBC URL", "jdbc:postgresql://" + host + ":" + port + "/" + db + "?user=" + user + "&sslmode=disable"),
                new ConnectionText("CONNINFO", "conninfo", "host=" + host + " port=" + port + " dbname=" + db + " user=" + user + " sslmode=disable"),
                new ConnectionText("PG_ENV", "PG* variables", "export PGHOST=" + host + " PGPORT=" + port + " PGDATABASE=" + db + " PGUSER=" + user + " PGSSLMODE=disable"));
    }

    @Override
    public CompletableFuture<UpstreamCheck> testUpstream(Profile profile, Executor executor) {
        testsRun++;
        CompletableFuture<UpstreamCheck> f = nextTest;
        return f != null ? f : CompletableFuture.completedFuture(UpstreamCheck.failed("UNREACHABLE", "nothing", null, null));
    }
}
