package dev.verifull.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;

import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The CA that signs the certificates Verifull shows its own clients. Created once per machine
 * (EC P-256, ten years) as {@code ca.pem} and {@code ca.key} in its directory; clients that
 * want {@code verify-full} towards the proxy trust {@link #certificateFile()}.
 */
public final class LocalCa {
    private static final String CERTIFICATE_FILE = "ca.pem";
    private static final String KEY_FILE = "ca.key";
    private static final String LOCK_FILE = "ca.lock";
    private static final Duration BACKDATE = Duration.ofHours(1); // tolerates small clock differences
    private static final Duration CA_VALIDITY = Duration.ofDays(3652);
    private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
    /** A file lock belongs to the whole JVM, so threads of this process queue here first. */
    private static final Object PROCESS_LOCK = new Object();

    private final Path directory;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private LocalCa(Path directory, X509Certificate certificate, PrivateKey key) {
        this.directory = directory;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * Loads the CA from {@code dir}, or creates it there if it does not exist yet. Safe when several
     * processes start at once: creation happens under a file lock and files appear by atomic move.
     * May block (file I/O, key generation): do not call it on an event loop.
     */
    public static LocalCa loadOrCreate(Path dir) throws TlsConfigException {
        Path directory = dir.toAbsolutePath();
        if (Files.exists(directory.resolve(CERTIFICATE_FILE))) return load(directory);
        try {
            Files.createDirectories(directory, ownerOnly(true));
            synchronized (PROCESS_LOCK) {
                try (FileChannel lockChannel = FileChannel.open(directory.resolve(LOCK_FILE),
                        StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                     FileLock ignored = lockChannel.lock()) {
                    if (Files.exists(directory.resolve(CERTIFICATE_FILE))) return load(directory);
                    return create(directory);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new TlsConfigException("Cannot create the local CA in " + directory + ": " + e.getMessage(), e);
        }
    }

    private static LocalCa load(Path directory) throws TlsConfigException {
        Path certificateFile = directory.resolve(CERTIFICATE_FILE);
        Path keyFile = directory.resolve(KEY_FILE);
        if (!Files.exists(keyFile)) {
            throw new TlsConfigException("The local CA in " + directory + " is incomplete: " + keyFile
                    + " is missing. Remove " + certificateFile + " to create a new local CA "
                    + "(clients must then trust the new one).");
        }
        X509Certificate certificate = PemFiles.readCertificates(certificateFile).get(0);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (!Keys.belongTogether(key, certificate.getPublicKey())) {
            throw new TlsConfigException("The local CA key " + keyFile + " does not belong to " + certificateFile + ".");
        }
        return new LocalCa(directory, certificate, key);
    }

    private static LocalCa create(Path directory) throws IOException {
        KeyPair keys = Keys.newEcP256();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "Verifull Local CA (" + hostName() + ")")
                .addRDN(BCStyle.O, "Verifull")
                .build();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(CA_VALIDITY)), subject, keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            X509Certificate certificate = sign(builder, keys.getPrivate());
            // The key goes first: a certificate file is only ever present with its key beside it.
            writeAtomically(directory.resolve(KEY_FILE), pem(new JcaPKCS8Generator(keys.getPrivate(), null).generate()), true);
            writeAtomically(directory.resolve(CERTIFICATE_FILE), pem(certificate), false);
            return new LocalCa(directory, certificate, keys.getPrivate());
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("cannot make the CA certificate: " + e.getMessage(), e);
        }
    }

    /** A server certificate for the given names, valid for a year (from an hour ago). */
    public ServerIdentity issueServerCertificate(Collection<String> dnsNames, Collection<InetAddress> addresses) {
        if (dnsNames.isEmpty() && addresses.isEmpty()) {
            throw new IllegalArgumentException("a server certificate needs at least one DNS name or address");
        }
        List<GeneralName> sans = new ArrayList<>();
        for (String dns : dnsNames) sans.add(new GeneralName(GeneralName.dNSName, dns));
        for (InetAddress address : addresses) {
            sans.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(address.getAddress())));
        }
        String commonName = dnsNames.isEmpty() ? addresses.iterator().next().getHostAddress() : dnsNames.iterator().next();
        KeyPair keys = Keys.newEcP256();
        Instant now = Instant.now();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(LEAF_VALIDITY)),
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).addRDN(BCStyle.O, "Verifull").build(),
                    keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(certificate));
            X509Certificate leaf = sign(builder, key);
            return new ServerIdentity(leaf, List.of(leaf, certificate), keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException("cannot issue a server certificate", e);
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The CA certificate file, for export or a client's {@code sslrootcert}. */
    /** Where the CA certificate of a local CA in {@code directory} is (or will be once it is created). */
    public static Path certificateFileIn(Path directory) {
        return directory.resolve(CERTIFICATE_FILE);
    }

    public Path certificateFile() {
        return directory.resolve(CERTIFICATE_FILE);
    }

    public String certificatePem() {
        return pem(certificate);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer) throws Exception {
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    /** Writes to a temporary file in the same directory (created with its final permissions), then moves it in. */
    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp", ownerOnly(false, secret));
        try {
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static FileAttribute<?>[] ownerOnly(boolean directory) {
        return ownerOnly(directory, true);
    }

    private static FileAttribute<?>[] ownerOnly(boolean directory, boolean secret) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) return new FileAttribute<?>[0];
        String permissions = directory ? "rwx------" : secret ? "rw-------" : "rw-r--r--";
        return new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions))};
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static BigInteger serial() {
        return new BigInteger(127, Keys.RANDOM).add(BigInteger.ONE);
    }

    private static String hostName() {
        for (String variable : new String[] {"COMPUTERNAME", "HOSTNAME"}) {
            String value = System.getenv(variable);
            if (value != null && !value.isBlank()) return value.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "this computer";
        }
    }
}
