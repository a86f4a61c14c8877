package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.util.List;

import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.TestPki;
import dev.verifull.testing.TestPki.Issued;

class PemFilesTest {
    private static final Issued ROOT = TestPki.rootCa("Pem Root");

    @TempDir
    Path dir;

    @Test
    void bundle_yieldsEveryCertificateInFileOrder() throws Exception {
        Issued intermediate = TestPki.intermediateCa("Pem Intermediate", ROOT);
        Issued leaf = TestPki.server(intermediate, "db.example.com");
        Path file = leaf.writeCertificate(dir.resolve("chain.pem"), true);

        List<X509Certificate> certs = PemFiles.readCertificates(file);

        assertEquals(List.of(leaf.certificate(), intermediate.certificate(), ROOT.certificate()), certs);
    }

    @Test
    void textAroundPemBlocks_isIgnored() throws Exception {
        Path pem = ROOT.writeCertificate(dir.resolve("ca.pem"));
        Path file = Files.writeString(dir.resolve("annotated.pem"),
                "Subject: my root\n" + Files.readString(pem) + "\ntrailing notes\n");

        assertEquals(List.of(ROOT.certificate()), PemFiles.readCertificates(file));
    }

    @Test
    void aTruncatedBlockAfterAGoodCertificate_isRejectedAsDamaged_notReadAsOneCertificate() throws Exception {
        Path pem = ROOT.writeCertificate(dir.resolve("ca.pem"));
        String cut = Files.readString(pem);
        Path file = Files.writeString(dir.resolve("cut.pem"), cut + cut.substring(0, cut.length() / 2));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readCertificates(file));

        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void aCertificateWithAKeyInTheSameFile_isReadByThePathThatKnowsKeys() throws Exception {
        Issued leaf = TestPki.server(ROOT, "db.example.com");
        Path cert = leaf.writeCertificate(dir.resolve("leaf.pem"));
        Path key = leaf.writePkcs8Key(dir.resolve("leaf.key"));
        Path both = Files.writeString(dir.resolve("both.pem"), Files.readString(cert) + Files.readString(key));

        assertEquals(List.of(leaf.certificate()), PemFiles.readCertificates(both));
    }

    @Test
    void derCertificate_isAccepted() throws Exception {
        Path file = Files.write(dir.resolve("ca.der"), ROOT.certificate().getEncoded());

        assertEquals(List.of(ROOT.certificate()), PemFiles.readCertificates(file));
    }

    @Test
    void garbage_isRejectedNamingTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("garbage.pem"), "this is not a certificate\n");

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readCertificates(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("contains no certificate"), e.getMessage());
    }

    @Test
    void damagedPemBlock_isRejectedAsDamaged() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nMIIB!!!notbase64***\n-----END CERTIFICATE-----\n");

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readCertificates(file));

        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
    }

    @Test
    void emptyFile_isRejected() throws Exception {
        Path file = Files.createFile(dir.resolve("empty.pem"));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readCertificates(file));

        assertTrue(e.getMessage().contains(file + " contains no certificate"), e.getMessage());
    }

    @Test
    void missingFile_isRejected() {
        Path file = dir.resolve("nowhere.pem");

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readCertificates(file));

        assertTrue(e.getMessage().contains(file + " does not exist"), e.getMessage());
    }

    @Test
    void directory_isRejected() {
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readCertificates(dir));

        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void keyGivenAsCertificateFile_saysWhatItFound() throws Exception {
        Path file = ROOT.writePkcs8Key(dir.resolve("root.key"));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readCertificates(file));

        assertTrue(e.getMessage().contains("found a private key but no certificate"), e.getMessage());
    }

    @Test
    void pkcs8EcKey_isRead() throws Exception {
        Issued client = TestPki.client(ROOT, "ec", false);
        assertSameKey(client.key(), PemFiles.readPrivateKey(client.writePkcs8Key(dir.resolve("ec.key"))));
    }

    @Test
    void pkcs8RsaKey_isRead() throws Exception {
        Issued client = TestPki.client(ROOT, "rsa", true);
        assertSameKey(client.key(), PemFiles.readPrivateKey(client.writePkcs8Key(dir.resolve("rsa.key"))));
    }

    @Test
    void pkcs1RsaKey_isRead() throws Exception {
        Issued client = TestPki.client(ROOT, "rsa", true);
        Path file = client.writeTraditionalKey(dir.resolve("rsa1.key"));
        assertTrue(Files.readString(file).startsWith("-----BEGIN RSA PRIVATE KEY-----"));

        assertSameKey(client.key(), PemFiles.readPrivateKey(file));
    }

    @Test
    void sec1EcKey_isRead() throws Exception {
        Issued client = TestPki.client(ROOT, "ec", false);
        Path file = client.writeTraditionalKey(dir.resolve("sec1.key"));
        assertTrue(Files.readString(file).startsWith("-----BEGIN EC PRIVATE KEY-----"));

        assertSameKey(client.key(), PemFiles.readPrivateKey(file));
    }

    @Test
    void sec1KeyAfterEcParametersBlock_isRead() throws Exception {
        Issued client = TestPki.client(ROOT, "ec", false);
        Path key = client.writeTraditionalKey(dir.resolve("sec1.key"));
        // what `openssl ecparam -genkey` writes: the curve first, then the key
        Path file = Files.writeString(dir.resolve("with-params.key"),
                "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" + Files.readString(key));

        assertSameKey(client.key(), PemFiles.readPrivateKey(file));
    }

    @Test
    void encryptedPkcs8Key_isRefusedWithHint() throws Exception {
        Issued client = TestPki.client(ROOT, "enc", false);
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setRandom(new SecureRandom())
                .setPassword("secret".toCharArray()).build();
        Path file = TestPki.writePem(dir.resolve("enc.key"), new JcaPKCS8Generator(client.key(), encryptor).generate());
        assertTrue(Files.readString(file).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readPrivateKey(file));

        assertTrue(e.getMessage().contains(file + " is encrypted"), e.getMessage());
        assertTrue(e.getMessage().contains("openssl pkey"), e.getMessage());
    }

    @Test
    void legacyEncryptedRsaKey_isRefused() throws Exception {
        Issued client = TestPki.client(ROOT, "enc", true);
        Path file = TestPki.writePem(dir.resolve("enc-rsa.key"), new JcaMiscPEMGenerator(client.key(),
                new JcePEMEncryptorBuilder("AES-128-CBC").setProvider(new BouncyCastleProvider())
                        .build("secret".toCharArray())));
        assertTrue(Files.readString(file).contains("Proc-Type: 4,ENCRYPTED"));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readPrivateKey(file));

        assertTrue(e.getMessage().contains("is encrypted"), e.getMessage());
    }

    @Test
    void certificateGivenAsKeyFile_saysWhatItFound() {
        Path file = ROOT.writeCertificate(dir.resolve("ca.pem"));

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readPrivateKey(file));

        assertTrue(e.getMessage().contains(file + " contains no private key: found a certificate"), e.getMessage());
    }

    @Test
    void missingKeyFile_isRejected() {
        Path file = dir.resolve("none.key");

        TlsConfigException e = assertThrows(TlsConfigException.class, () -> PemFiles.readPrivateKey(file));

        assertTrue(e.getMessage().contains("key file " + file + " does not exist"), e.getMessage());
    }

    private static void assertSameKey(PrivateKey expected, PrivateKey actual) {
        assertEquals(expected.getAlgorithm(), actual.getAlgorithm());
        if (expected instanceof ECPrivateKey) {
            // SEC1 files carry the public key too, so compare the secret and the curve, not encodings
            assertEquals(((ECPrivateKey) expected).getS(), ((ECPrivateKey) actual).getS());
            assertEquals(((ECPrivateKey) expected).getParams().getOrder(), ((ECPrivateKey) actual).getParams().getOrder());
        } else {
            assertArrayEquals(expected.getEncoded(), actual.getEncoded());
        }
    }
}
