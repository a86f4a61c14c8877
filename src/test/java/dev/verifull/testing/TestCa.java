package dev.verifull.testing;

import java.nio.file.Path;

/**
 * A test CA with one server certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1},
 * written as PEM files. {@link #shared()} gives one per JVM, so servers started with it can be
 * shared between test classes ({@link PgServer#shared}) and every client trusts the same CA file.
 */
public final class TestCa {
    private static TestCa shared;

    private final TestPki.Issued ca;
    private final TestPki.Issued server;
    private final Path caFile;
    private final Path serverCertFile;
    private final Path serverKeyFile;

    private TestCa(Path dir) {
        this.ca = TestPki.rootCa("Verifull Test Root");
        this.server = TestPki.server(ca, "localhost", "127.0.0.1", "::1");
        this.caFile = ca.writeCertificate(dir.resolve("ca.crt"));
        this.serverCertFile = server.writeCertificate(dir.resolve("server.crt"));
        this.serverKeyFile = server.writePkcs8Key(dir.resolve("server.key"));
    }

    /** A fresh CA and server certificate in a new temporary directory (deleted at JVM exit). */
    public static TestCa create() {
        Path dir = TestFiles.newTempDir("ca-");
        TestFiles.deleteTreeAtExit(dir);
        return new TestCa(dir);
    }

    public static synchronized TestCa shared() {
        if (shared == null) shared = create();
        return shared;
    }

    /** The CA itself, to issue more certificates (e.g. for a proxy) that clients of this CA trust. */
    public TestPki.Issued ca() {
        return ca;
    }

    public TestPki.Issued server() {
        return server;
    }

    /** Root certificate PEM: {@code sslrootcert} for libpq and pgJDBC. */
    public Path caFile() {
        return caFile;
    }

    public Path serverCertFile() {
        return serverCertFile;
    }

    /** Unencrypted PKCS#8 key; {@link PgServer} copies it into the data directory with mode 0600. */
    public Path serverKeyFile() {
        return serverKeyFile;
    }
}
