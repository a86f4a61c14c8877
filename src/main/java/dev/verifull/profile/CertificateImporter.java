package dev.verifull.profile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import dev.verifull.tls.PemFiles;
import dev.verifull.tls.TlsConfigException;

/**
 * Copies CA, client certificate and key files into the app-data {@code ca/} folder, so a profile
 * keeps working when the original file moves. Names are readable and stable:
 * {@code <original name>-<first 8 hex digits of the content's SHA-256>.pem}, so importing the same
 * content again returns the same file. Files holding a private key are made readable only by the
 * owner (POSIX 0600).
 */
public final class CertificateImporter {
    private static final int MAX_STEM = 40;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path directory;

    /** @param directory the folder to copy into, usually {@link AppDataDir#certificates} */
    public CertificateImporter(Path directory) {
        this.directory = directory;
    }

    public static CertificateImporter forAppData(Path appDataBase) {
        return new CertificateImporter(AppDataDir.certificates(appDataBase));
    }

    public Path directory() {
        return directory;
    }

    /**
     * Checks that the file holds PEM certificates or a private key (a lone DER certificate is
     * converted to PEM) and copies it in. Returns the copy; a file already in the folder is
     * returned as it is.
     *
     * @throws TlsConfigException the file is not a certificate or key file (message says why)
     * @throws IOException        the copy could not be written
     */
    public Path importFile(Path source) throws TlsConfigException, IOException {
        Content content = Content.of(source);
        Files.createDirectories(directory);
        restrictDirectory();
        if (isInside(source)) return source;

        String hash = HexFormat.of().formatHex(sha256(content.bytes)).substring(0, 8);
        String base = stem(source) + "-" + hash;
        for (int n = 1; ; n++) {
            Path target = directory.resolve(base + (n == 1 ? "" : "-" + n) + ".pem");
            if (Files.exists(target)) {
                if (Arrays.equals(Files.readAllBytes(target), content.bytes)) {
                    if (content.secret) restrictFile(target);
                    return target;
                }
                continue; // same name, other content: 8 hex digits collided
            }
            write(target, content);
            return target;
        }
    }

    /** The bytes to store and whether they include a private key. */
    private record Content(byte[] bytes, boolean secret) {
        static Content of(Path source) throws TlsConfigException, IOException {
            TlsConfigException certificateProblem;
            List<X509Certificate> certificates = null;
            try {
                certificates = PemFiles.readCertificates(source);
                certificateProblem = null;
            } catch (TlsConfigException e) {
                certificateProblem = e;
            }
            boolean hasKey = false;
            TlsConfigException keyProblem = null;
            try {
                PemFiles.readPrivateKey(source);
                hasKey = true;
            } catch (TlsConfigException e) {
                keyProblem = e;
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(source);
            } catch (IOException e) {
                if (certificateProblem != null) throw certificateProblem; // names the file and says why (missing, denied)
                throw e;
            }
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            boolean mentionsKey = text.contains("PRIVATE KEY-----");
            if (certificates == null && !hasKey) {
                // Say what is wrong with the kind of file it seems to be (e.g. an encrypted key).
                throw mentionsKey ? keyProblem : certificateProblem;
            }
            if (!text.contains("-----BEGIN ")) bytes = pem(certificates); // a DER certificate
            return new Content(bytes, hasKey || mentionsKey);
        }
    }

    private static byte[] pem(List<X509Certificate> certificates) throws TlsConfigException {
        StringBuilder out = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate c : certificates) {
            try {
                out.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new TlsConfigException("Cannot convert the certificate to PEM: " + e.getMessage(), e);
            }
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private void write(Path target, Content content) throws IOException {
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix && content.secret
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        // Created with its final permissions, then moved in whole: never a readable or partial key.
        Path temp = Files.createTempFile(directory, ".import-", ".tmp", attributes);
        try {
            Files.write(temp, content.bytes);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private boolean isInside(Path source) throws IOException {
        Path parent = source.toAbsolutePath().getParent();
        return parent != null && Files.isSameFile(parent, directory);
    }

    private void restrictDirectory() throws IOException {
        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(directory, OWNER_ONLY_DIR);
        }
    }

    private static void restrictFile(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) Files.setPosixFilePermissions(file, OWNER_ONLY);
    }

    /** The original name without extension, reduced to characters that are safe in file names everywhere. */
    static String stem(Path source) {
        String name = source.getFileName() == null ? "" : source.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot > 0) name = name.substring(0, dot);
        String safe = name.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|[-.]+$", "");
        if (safe.length() > MAX_STEM) safe = safe.substring(0, MAX_STEM).replaceAll("[-.]+$", "");
        return safe.isEmpty() ? "certificate" : safe;
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
