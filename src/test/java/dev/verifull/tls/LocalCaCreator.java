package dev.verifull.tls;

import java.nio.file.Path;

/** Run in a separate JVM by {@link LocalCaTest}: loads or creates the CA and prints its fingerprint. */
public final class LocalCaCreator {
    private LocalCaCreator() {}

    public static void main(String[] args) throws Exception {
        LocalCa ca = LocalCa.loadOrCreate(Path.of(args[0]));
        System.out.println(CertificateSummary.of(ca.certificate()).sha256Fingerprint());
    }
}
