package dev.verifull.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The CAs an upstream certificate must chain to, with the JDK's PKIX trust manager over them.
 * The JDK (SunJSSE) trust manager is used for every TLS provider so that all three verify alike.
 */
final class TrustAnchors {
    private final List<X509Certificate> certificates;
    private final X509ExtendedTrustManager pkix;
    private final String description;

    private TrustAnchors(List<X509Certificate> certificates, X509ExtendedTrustManager pkix, String description) {
        this.certificates = certificates;
        this.pkix = pkix;
        this.description = description;
    }

    /** Every certificate of every file becomes a trust anchor. */
    static TrustAnchors fromFiles(List<Path> caFiles) throws TlsConfigException {
        return fromFiles(caFiles, Path::toString);
    }

    /** As {@link #fromFiles(List)}; {@code names} gives each file as messages name it (see {@link UpstreamTlsSettings#fileNames}). */
    static TrustAnchors fromFiles(List<Path> caFiles, java.util.function.Function<Path, String> names) throws TlsConfigException {
        List<X509Certificate> all = new ArrayList<>();
        for (Path file : caFiles) all.addAll(PemFiles.readCertificates(file));
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < all.size(); i++) store.setCertificateEntry("ca-" + i, all.get(i));
            String named = caFiles.stream().map(names).collect(Collectors.joining(", "));
            return new TrustAnchors(List.copyOf(all), pkix(store), (caFiles.size() == 1 ? "CA file " : "CA files ") + named);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException("Cannot use the CA certificates from " + caFiles + ": " + e.getMessage(), e);
        }
    }

    /** The JDK's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore}). */
    static TrustAnchors system() throws TlsConfigException {
        try {
            X509ExtendedTrustManager pkix = pkix(null);
            return new TrustAnchors(List.of(pkix.getAcceptedIssuers()), pkix, "the system trust store");
        } catch (GeneralSecurityException e) {
            throw new TlsConfigException("Cannot load the system trust store: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager pkix(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX", "SunJSSE");
        factory.init(store);
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager) return (X509ExtendedTrustManager) tm;
        }
        throw new GeneralSecurityException("the JDK offers no X509ExtendedTrustManager");
    }

    List<X509Certificate> certificates() {
        return certificates;
    }

    X509ExtendedTrustManager pkix() {
        return pkix;
    }

    /** E.g. {@code CA file /x/ca.pem} or {@code the system trust store}. */
    String description() {
        return description;
    }
}
