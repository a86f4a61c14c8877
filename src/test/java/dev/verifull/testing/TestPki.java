package dev.verifull.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Test certificates made with BouncyCastle: CAs, server and client leaves with chosen names and
 * validity, written as PEM files. Keys are EC P-256 unless RSA is asked for.
 */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A certificate with its private key and the chain above it (issuer first, root last). */
    public record Issued(X509Certificate certificate, PrivateKey key, List<X509Certificate> chainAbove) {
        public X500Name subject() {
            return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        }

        /** Writes the certificate (then its chain above, when {@code withChain}) as PEM. */
        public Path writeCertificate(Path file, boolean withChain) {
            List<Object> objects = new ArrayList<>();
            objects.add(certificate);
            if (withChain) objects.addAll(chainAbove);
            return writePem(file, objects.toArray());
        }

        public Path writeCertificate(Path file) {
            return writeCertificate(file, false);
        }

        /** Writes the key as unencrypted PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}). */
        public Path writePkcs8Key(Path file) {
            try {
                return writePem(file, new JcaPKCS8Generator(key, null).generate());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the key in OpenSSL's traditional form: PKCS#1 for RSA, SEC1 for EC. */
        public Path writeTraditionalKey(Path file) {
            if (key instanceof ECPrivateKey) return writePem(file, sec1(certificate, (ECPrivateKey) key));
            return writePem(file, key);
        }
    }

    private TestPki() {}

    public static Issued rootCa(String commonName) {
        return ca(commonName, null, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    public static Issued intermediateCa(String commonName, Issued parent) {
        return ca(commonName, parent, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)));
    }

    public static Issued ca(String commonName, Issued parent, Instant notBefore, Instant notAfter) {
        KeyPair keys = ecKeys();
        X500Name subject = new X500Name("CN=" + commonName + ",O=Verifull Tests");
        X500Name issuer = parent == null ? subject : parent.subject();
        PrivateKey signer = parent == null ? keys.getPrivate() : parent.key();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (parent != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(parent.certificate()));
            }
            return new Issued(sign(b, signer), keys.getPrivate(), chainOf(parent));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A server certificate for the given DNS names and IP literals, valid from yesterday for a year. */
    public static Issued server(Issued ca, String... names) {
        return server(ca, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), false, names);
    }

    public static Issued server(Issued ca, Instant notBefore, Instant notAfter, boolean rsa, String... names) {
        return leaf(ca, notBefore, notAfter, rsa, KeyPurposeId.id_kp_serverAuth, names);
    }

    /** A self-signed server certificate (its own issuer, not a CA). */
    public static Issued selfSignedServer(String... names) {
        return leaf(null, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), false,
                KeyPurposeId.id_kp_serverAuth, names);
    }

    /**
     * A server certificate whose subject CN is {@code commonName} and whose SANs are exactly
     * {@code sans} (DNS names and IP literals; none = no SAN extension at all), for host-name rules.
     */
    public static Issued serverNamed(Issued ca, String commonName, String... sans) {
        return leaf(ca, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), false,
                KeyPurposeId.id_kp_serverAuth, commonName, sans);
    }

    public static Issued client(Issued ca, String commonName, boolean rsa) {
        return leaf(ca, Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(365)), rsa,
                KeyPurposeId.id_kp_clientAuth, commonName);
    }

    private static Issued leaf(Issued ca, Instant notBefore, Instant notAfter, boolean rsa, KeyPurposeId purpose, String... names) {
        String cn = names.length > 0 ? names[0] : "leaf";
        return leaf(ca, notBefore, notAfter, rsa, purpose, cn,
                purpose == KeyPurposeId.id_kp_serverAuth ? names : new String[0]);
    }

    private static Issued leaf(Issued ca, Instant notBefore, Instant notAfter, boolean rsa, KeyPurposeId purpose,
                               String cn, String[] names) {
        KeyPair keys = rsa ? rsaKeys() : ecKeys();
        X500Name subject = new X500Name("CN=" + cn + ",O=Verifull Tests");
        X500Name issuer = ca == null ? subject : ca.subject();
        PrivateKey signer = ca == null ? keys.getPrivate() : ca.key();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(),
                    Date.from(notBefore), Date.from(notAfter), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            if (ca != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
            }
            if (names.length > 0) {
                List<GeneralName> sans = new ArrayList<>();
                for (String n : names) {
                    sans.add(isIpLiteral(n)
                            ? new GeneralName(GeneralName.iPAddress, n)
                            : new GeneralName(GeneralName.dNSName, n));
                }
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            }
            return new Issued(sign(b, signer), keys.getPrivate(), chainOf(ca));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * SEC1 with the named curve and public key, as OpenSSL writes it. (Writing a JDK EC key
     * directly with JcaPEMWriter leaves the curve out, and such a file cannot be read back.)
     */
    private static PemObject sec1(X509Certificate certificate, ECPrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            SubjectPublicKeyInfo publicKey = SubjectPublicKeyInfo.getInstance(certificate.getPublicKey().getEncoded());
            org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                    key.getParams().getOrder().bitLength(), key.getS(), publicKey.getPublicKeyData(),
                    info.getPrivateKeyAlgorithm().getParameters());
            return new PemObject("EC PRIVATE KEY", sec1.getEncoded());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path writePem(Path file, Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) w.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, out.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static List<X509Certificate> chainOf(Issued parent) {
        if (parent == null) return List.of();
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(parent.certificate());
        chain.addAll(parent.chainAbove());
        return List.copyOf(chain);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        ContentSigner cs = new JcaContentSignerBuilder(alg).build(signer);
        return new JcaX509CertificateConverter().getCertificate(b.build(cs));
    }

    private static boolean isIpLiteral(String s) {
        return s.matches("[0-9.]+") || s.contains(":");
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static KeyPair ecKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048, RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

}
