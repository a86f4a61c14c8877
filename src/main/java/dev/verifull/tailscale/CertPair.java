package dev.verifull.tailscale;

import java.io.IOException;
import java.io.StringReader;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate for this machine's MagicDNS name from {@code /localapi/v0/cert/DOMAIN?type=pair}:
 * the private key and the chain, leaf first.
 */
public record CertPair(String domain, PrivateKey privateKey, List<X509Certificate> chain) {

    public CertPair {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(privateKey, "privateKey");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) throw new IllegalArgumentException("empty chain");
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public Instant notBefore() {
        return leaf().getNotBefore().toInstant();
    }

    public Instant notAfter() {
        return leaf().getNotAfter().toInstant();
    }

    public Duration validity() {
        return Duration.between(notBefore(), notAfter());
    }

    // Keys are secret: no key material in logs.
    @Override
    public String toString() {
        return "CertPair[" + domain + ", " + leaf().getSubjectX500Principal() + ", valid until " + notAfter() + "]";
    }

    /**
     * Reads the pair body: the key PEM first (SEC1 {@code EC PRIVATE KEY}, P-256 from
     * tailscaled; PKCS#8 accepted too), then the chain PEM. BouncyCastle reads SEC1, which the
     * JDK's KeyFactory does not.
     */
    static CertPair parse(String domain, String pem) throws MalformedAnswerException {
        PrivateKey key = null;
        List<X509Certificate> chain = new ArrayList<>();
        JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
        JcaX509CertificateConverter certs = new JcaX509CertificateConverter();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object o; (o = parser.readObject()) != null; ) {
                if (o instanceof PEMKeyPair pair) {
                    if (key != null) throw new MalformedAnswerException("cert", "it holds more than one private key");
                    key = keys.getPrivateKey(pair.getPrivateKeyInfo()); // SEC1's public-key field is optional
                } else if (o instanceof PrivateKeyInfo info) {
                    if (key != null) throw new MalformedAnswerException("cert", "it holds more than one private key");
                    key = keys.getPrivateKey(info);
                } else if (o instanceof X509CertificateHolder holder) {
                    chain.add(certs.getCertificate(holder));
                } else {
                    throw new MalformedAnswerException("cert", "unexpected PEM object " + o.getClass().getSimpleName());
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new MalformedAnswerException("cert", "unreadable PEM (" + e.getMessage() + ")", e);
        }
        if (key == null) throw new MalformedAnswerException("cert", "it holds no private key");
        if (chain.isEmpty()) throw new MalformedAnswerException("cert", "it holds no certificate");
        if (!dev.verifull.tls.Keys.belongTogether(key, chain.get(0).getPublicKey())) {
            throw new MalformedAnswerException("cert", "the private key does not belong to the certificate");
        }
        return new CertPair(domain, key, chain);
    }
}
