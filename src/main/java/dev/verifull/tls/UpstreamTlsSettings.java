package dev.verifull.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to verify and authenticate to one upstream server.
 *
 * @param caFiles           PEM files whose certificates are all trusted as anchors; empty with system trust
 * @param systemTrust       trust the JDK's default trust store instead of CA files
 * @param clientCertificate PEM client certificate (chain) for mutual TLS, or {@code null}
 * @param clientKey         the client certificate's private key, or {@code null}
 * @param tls13Only         refuse TLS 1.2
 * @param provider          the TLS implementation
 * @param fileNames         how people know a file, where that is not its path: the app keeps a copy
 *                          of each file a user chose, and messages must name the file the user
 *                          recognises (given by the caller, so this package knows nothing of profiles)
 */
public record UpstreamTlsSettings(List<Path> caFiles, boolean systemTrust, Path clientCertificate, Path clientKey,
                                  boolean tls13Only, TlsProvider provider, Map<Path, String> fileNames) {

    public UpstreamTlsSettings(List<Path> caFiles, boolean systemTrust, Path clientCertificate, Path clientKey,
                               boolean tls13Only, TlsProvider provider) {
        this(caFiles, systemTrust, clientCertificate, clientKey, tls13Only, provider, Map.of());
    }

    public UpstreamTlsSettings {
        caFiles = caFiles == null ? List.of() : List.copyOf(caFiles);
        fileNames = fileNames == null ? Map.of() : Map.copyOf(fileNames);
        Objects.requireNonNull(provider, "provider");
        if (caFiles.isEmpty() == !systemTrust) {
            throw new IllegalArgumentException(systemTrust
                    ? "Choose either CA files or the system trust store, not both"
                    : "Choose the CA files that signed the server's certificate, or the system trust store");
        }
        if ((clientCertificate == null) != (clientKey == null)) {
            throw new IllegalArgumentException(clientCertificate == null
                    ? "A client key was given without a client certificate"
                    : "A client certificate was given without its private key");
        }
    }

    /** Verification against the given CA files, no client certificate, TLS 1.2 and 1.3. */
    public static UpstreamTlsSettings withCaFiles(TlsProvider provider, Path... caFiles) {
        return new UpstreamTlsSettings(List.of(caFiles), false, null, null, false, provider);
    }

    /** Verification against the system trust store, no client certificate, TLS 1.2 and 1.3. */
    public static UpstreamTlsSettings withSystemTrust(TlsProvider provider) {
        return new UpstreamTlsSettings(List.of(), true, null, null, false, provider);
    }

    public UpstreamTlsSettings withClientCertificate(Path certificate, Path key) {
        return new UpstreamTlsSettings(caFiles, systemTrust, certificate, key, tls13Only, provider, fileNames);
    }

    public UpstreamTlsSettings withTls13Only(boolean only) {
        return new UpstreamTlsSettings(caFiles, systemTrust, clientCertificate, clientKey, only, provider, fileNames);
    }

    public UpstreamTlsSettings withFileNames(Map<Path, String> names) {
        return new UpstreamTlsSettings(caFiles, systemTrust, clientCertificate, clientKey, tls13Only, provider, names);
    }

    /** A file as messages name it: what {@link #fileNames} says, else its path. */
    public String nameOf(Path file) {
        if (file == null) return null;
        String name = fileNames.get(file);
        return name != null ? name : file.toString();
    }

    public boolean mutualTls() {
        return clientCertificate != null;
    }
}
