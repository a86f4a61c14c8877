package dev.verifull.profile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.TestPki;
import dev.verifull.tls.PemFiles;
import dev.verifull.tls.TlsConfigException;

class CertificateImporterTest {
    private static final TestPki.Issued CA = TestPki.rootCa("Import Root");

    @TempDir
    Path dir;

    private CertificateImporter importer() {
        return CertificateImporter.forAppData(dir.resolve("appdata"));
    }

    @Test
    void aCaFileIsCopiedUnderAReadableStableName() throws Exception {
        Path source = CA.writeCertificate(dir.resolve("downloads/AWS RDS global-bundle.pem"));
        Path copy = importer().importFile(source);
        assertEquals(dir.resolve("appdata/ca"), copy.getParent());
        assertTrue(copy.getFileName().toString().matches("AWS-RDS-global-bundle-[0-9a-f]{8}\\.pem"), copy.toString());
        assertArrayEquals(Files.readAllBytes(source), Files.readAllBytes(copy));

        Files.delete(source);
        assertEquals(CA.certificate(), PemFiles.readCertificates(copy).get(0), "the copy works without the original");
    }

    @Test
    void theSameContentGivesTheSameFileAndOtherContentAnother() throws Exception {
        Path a = CA.writeCertificate(dir.resolve("one/ca.crt"));
        Path b = CA.writeCertificate(dir.resolve("two/ca.crt"));
        Path c = TestPki.rootCa("Other").writeCertificate(dir.resolve("three/ca.crt"));
        Path first = importer().importFile(a);
        assertEquals(first, importer().importFile(b));
        assertEquals(first, importer().importFile(first), "importing an imported file changes nothing");
        assertNotEquals(first, importer().importFile(c));
        try (var files = Files.list(importer().directory())) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void keysAreReadableOnlyByTheOwner() throws Exception {
        Path key = TestPki.client(CA, "alice", false).writePkcs8Key(dir.resolve("client.key"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
        Path copy = importer().importFile(key);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(copy.getParent())));
        PemFiles.readPrivateKey(copy);

        TestPki.Issued client = TestPki.client(CA, "bob", false);
        Path combined = TestPki.writePem(dir.resolve("combined.pem"), client.certificate(), client.key());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(importer().importFile(combined))),
                "a certificate file with its key in it is a key file too");
    }

    @Test
    void aDerCertificateIsStoredAsPem() throws Exception {
        Path der = Files.write(dir.resolve("root.cer"), CA.certificate().getEncoded());
        Path copy = importer().importFile(der);
        assertTrue(Files.readString(copy).startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertEquals(List.of(CA.certificate()), PemFiles.readCertificates(copy));
    }

    @Test
    void whatIsNotACertificateOrKeyIsRefusedWithAReason() throws Exception {
        Path text = Files.writeString(dir.resolve("readme.txt"), "not a certificate");
        TlsConfigException e = assertThrows(TlsConfigException.class, () -> importer().importFile(text));
        assertTrue(e.getMessage().contains("contains no certificate"), e.getMessage());

        Path encrypted = Files.writeString(dir.resolve("enc.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
                + "MIIBvTBXBgkqhkiG9w0BBQ0wSjApBgkqhkiG9w0BBQwwHAQIAAAAAAAAAAACAggA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        TlsConfigException enc = assertThrows(TlsConfigException.class, () -> importer().importFile(encrypted));
        assertTrue(enc.getMessage().contains("key"), enc.getMessage());
        assertThrows(TlsConfigException.class, () -> importer().importFile(dir.resolve("missing.pem")));
    }

    @Test
    void stemsAreSafeFileNames() {
        assertEquals("ca", CertificateImporter.stem(Path.of("ca.pem")));
        assertEquals("my-ca-v2", CertificateImporter.stem(Path.of("my ca (v2).crt")));
        assertEquals("certificate", CertificateImporter.stem(Path.of("...pem")));
        assertEquals(40, CertificateImporter.stem(Path.of("x".repeat(100) + ".pem")).length());
    }
}
