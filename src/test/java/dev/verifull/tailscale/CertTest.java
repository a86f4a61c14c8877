package dev.verifull.tailscale;

import static dev.verifull.tailscale.LocalApiClientTest.await;
import static dev.verifull.tailscale.LocalApiClientTest.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.Signature;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.TestPki;

/** {@code cert/DOMAIN?type=pair}: SEC1 key first, then the chain. */
class CertTest {
    static final String DOMAIN = FakeLocalApi.SELF_DNS_NAME;

    @TempDir
    Path dir;

    @Test
    void pairWithSec1KeyIsRead() throws Exception {
        TestPki.Issued ca = TestPki.rootCa("Fake Let's Encrypt");
        TestPki.Issued leaf = TestPki.server(ca, DOMAIN);
        String pem = FakeLocalApi.pairPem(leaf.key(), List.of(leaf.certificate(), ca.certificate()));
        assertTrue(pem.startsWith("-----BEGIN EC PRIVATE KEY-----"), pem);
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir).certPair(DOMAIN, pem); LocalApiClient client = fake.client()) {
            CertPair pair = await(client.cert(DOMAIN + "."));
            assertEquals(DOMAIN, pair.domain());
            assertEquals(List.of(leaf.certificate(), ca.certificate()), pair.chain());
            assertEquals(leaf.certificate().getNotAfter().toInstant(), pair.notAfter());
            // the key read from SEC1 is the one the certificate was made for
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(pair.privateKey());
            s.update(new byte[] {1, 2, 3});
            byte[] sig = s.sign();
            s.initVerify(pair.leaf().getPublicKey());
            s.update(new byte[] {1, 2, 3});
            assertTrue(s.verify(sig));
            assertEquals("/localapi/v0/cert/" + DOMAIN + "?type=pair", fake.requests().get(0).uri());
            assertTrue(!pair.toString().contains("PRIVATE"), pair.toString());
        }
    }

    @Test
    void pkcs8KeyIsAcceptedToo() throws Exception {
        TestPki.Issued leaf = TestPki.selfSignedServer(DOMAIN);
        String pem = java.nio.file.Files.readString(leaf.writePkcs8Key(dir.resolve("k.pem")))
                + java.nio.file.Files.readString(leaf.writeCertificate(dir.resolve("c.pem")));
        assertEquals(leaf.certificate(), CertPair.parse(DOMAIN, pem).leaf());
    }

    @Test
    void keyOfAnotherCertificateIsRefused() throws Exception {
        TestPki.Issued a = TestPki.selfSignedServer(DOMAIN);
        TestPki.Issued b = TestPki.selfSignedServer(DOMAIN);
        MalformedAnswerException e = assertThrows(MalformedAnswerException.class,
                () -> CertPair.parse(DOMAIN, FakeLocalApi.pairPem(a.key(), List.of(b.certificate()))));
        assertEquals("tailscaled's cert answer could not be read: the private key does not belong to the certificate", e.getMessage());
    }

    @Test
    void pairWithoutKeyOrCertificateIsMalformed() throws Exception {
        TestPki.Issued a = TestPki.selfSignedServer(DOMAIN);
        String pem = FakeLocalApi.pairPem(a.key(), List.of(a.certificate()));
        String keyOnly = pem.substring(0, pem.indexOf("-----BEGIN CERTIFICATE"));
        assertEquals("tailscaled's cert answer could not be read: it holds no certificate",
                assertThrows(MalformedAnswerException.class, () -> CertPair.parse(DOMAIN, keyOnly)).getMessage());
        String certOnly = pem.substring(pem.indexOf("-----BEGIN CERTIFICATE"));
        assertEquals("tailscaled's cert answer could not be read: it holds no private key",
                assertThrows(MalformedAnswerException.class, () -> CertPair.parse(DOMAIN, certOnly)).getMessage());
        assertThrows(MalformedAnswerException.class, () -> CertPair.parse(DOMAIN, "-----BEGIN EC PRIVATE KEY-----\nnope\n"));
    }

    @Test
    void deniedCertSaysHowToGetAccess() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir)
                .cert(DOMAIN, FakeLocalApi.Answer.error(403, "cert access denied")); LocalApiClient client = fake.client()) {
            LocalApiException e = failure(client.cert(DOMAIN));
            assertInstanceOf(LocalApiAccessDeniedException.class, e);
            assertTrue(e.getMessage().startsWith("tailscaled answered 403 to the cert request: cert access denied (fetching"
                    + " certificates needs root, the Tailscale operator"), e.getMessage());
        }
    }

    @Test
    void tailnetWithoutHttpsCertificates() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir).cert(DOMAIN,
                FakeLocalApi.Answer.error(500, "your Tailscale account does not support getting TLS certs"));
             LocalApiClient client = fake.client()) {
            LocalApiException e = failure(client.cert(DOMAIN));
            assertEquals("tailscaled answered 500 to the cert request: your Tailscale account does not support getting TLS certs",
                    e.getMessage());
        }
    }

    @Test
    void oddDomainsAreRefusedWithoutAsking() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir); LocalApiClient client = fake.client()) {
            LocalApiException e = failure(client.cert("../status?x"));
            assertInstanceOf(LocalApiHttpException.class, e);
            assertTrue(fake.requests().isEmpty());
        }
    }
}
