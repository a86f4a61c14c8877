package dev.verifull.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A server certificate with its private key, ready for {@link ClientTls#serverContext}.
 *
 * @param certificate the leaf
 * @param chain       leaf first, then its issuers (the local CA)
 * @param key         the leaf's private key
 */
public record ServerIdentity(X509Certificate certificate, List<X509Certificate> chain, PrivateKey key) {
    public ServerIdentity {
        chain = List.copyOf(chain);
    }
}
