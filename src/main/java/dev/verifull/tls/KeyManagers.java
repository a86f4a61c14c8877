package dev.verifull.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;

import io.netty.handler.ssl.SslContextBuilder;

/**
 * Puts a key and its chain on a Netty context builder. For BouncyCastle the key manager must come
 * from BCJSSE itself: in TLS 1.3 BCJSSE asks key managers for key types such as
 * {@code EC/secp256r1}, which the JDK's SunX509 key manager (Netty's default) never matches, so
 * EC keys would silently not be used (no client certificate sent; server handshake_failure).
 */
final class KeyManagers {
    private static final char[] NO_PASSWORD = new char[0]; // the key store only lives in memory

    private KeyManagers() {}

    static SslContextBuilder clientBuilder(TlsProvider provider, PrivateKey key, List<X509Certificate> chain)
            throws TlsConfigException {
        SslContextBuilder builder = SslContextBuilder.forClient();
        return provider.sslContextProvider() == null
                ? builder.keyManager(key, chain)
                : builder.keyManager(factory(provider, key, chain));
    }

    static SslContextBuilder serverBuilder(TlsProvider provider, PrivateKey key, List<X509Certificate> chain)
            throws TlsConfigException {
        return provider.sslContextProvider() == null
                ? SslContextBuilder.forServer(key, chain)
                : SslContextBuilder.forServer(factory(provider, key, chain));
    }

    private static KeyManagerFactory factory(TlsProvider provider, PrivateKey key, List<X509Certificate> chain)
            throws TlsConfigException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, NO_PASSWORD, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory factory = KeyManagerFactory.getInstance("PKIX", provider.sslContextProvider());
            factory.init(store, NO_PASSWORD);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsConfigException("Cannot use the key of " + CertificateSummary.of(chain.get(0)).subject()
                    + " with the " + provider.id() + " provider: " + e.getMessage(), e);
        }
    }
}
