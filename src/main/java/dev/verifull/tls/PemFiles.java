package dev.verifull.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and private keys from PEM files. Certificates and keys come out as JDK
 * objects (no BouncyCastle provider involved), so every TLS provider can use them.
 */
public final class PemFiles {
    private PemFiles() {}

    /** Every certificate in the file, in file order. A file without any is an error. */
    public static List<X509Certificate> readCertificates(Path file) throws TlsConfigException {
        byte[] bytes = read(file, "certificate");
        List<X509Certificate> plain = onlyCertificateBlocks(bytes);
        if (plain != null) return plain;
        List<X509Certificate> certificates = new ArrayList<>();
        List<String> otherObjects = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser parser = parser(bytes)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof X509CertificateHolder) {
                    certificates.add(converter.getCertificate((X509CertificateHolder) o));
                } else {
                    otherObjects.add(describe(o));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new TlsConfigException("The certificate file " + file + " is damaged or not in PEM format ("
                    + reason(e) + ").", e);
        }
        if (certificates.isEmpty() && otherObjects.isEmpty()) {
            certificates.addAll(readDer(bytes)); // a lone DER certificate is common enough to accept
        }
        if (certificates.isEmpty()) {
            String found = otherObjects.isEmpty() ? "nothing in PEM format"
                    : String.join(", ", otherObjects) + " but no certificate";
            throw new TlsConfigException("The file " + file + " contains no certificate: found " + found
                    + ". Expected PEM blocks starting with -----BEGIN CERTIFICATE-----.");
        }
        return List.copyOf(certificates);
    }

    /**
     * The first private key in the file: PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1
     * ({@code BEGIN RSA PRIVATE KEY}) or SEC1 ({@code BEGIN EC PRIVATE KEY}). Encrypted keys are
     * refused with a hint how to decrypt them.
     */
    public static PrivateKey readPrivateKey(Path file) throws TlsConfigException {
        byte[] bytes = read(file, "key");
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        List<String> otherObjects = new ArrayList<>();
        try (PEMParser parser = parser(bytes)) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) o);
                } else if (o instanceof PEMKeyPair) {
                    // SEC1 files may omit the public key, so convert only the private part
                    return converter.getPrivateKey(((PEMKeyPair) o).getPrivateKeyInfo());
                } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                    throw new TlsConfigException("The private key in " + file + " is encrypted with a passphrase. "
                            + "Verifull needs an unencrypted key file (readable only by you); for example: "
                            + "openssl pkey -in " + file + " -out client.key");
                } else {
                    otherObjects.add(describe(o));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException("The key file " + file + " is damaged or in an unsupported format ("
                    + reason(e) + ").", e);
        }
        String found = otherObjects.isEmpty() ? "nothing in PEM format" : String.join(", ", otherObjects);
        throw new TlsConfigException("The file " + file + " contains no private key: found " + found
                + ". Expected a PEM block starting with -----BEGIN PRIVATE KEY-----, "
                + "-----BEGIN RSA PRIVATE KEY----- or -----BEGIN EC PRIVATE KEY-----.");
    }

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    /**
     * The certificates of a file that holds nothing but well-formed CERTIFICATE blocks (with any
     * text around them, as in CA bundles), read by the JDK; null for anything else, which the
     * BouncyCastle parser then reads and explains. Why two paths: BouncyCastle's jars are signed,
     * and the JDK checks the signature of the whole jar on first use, which made up about a third
     * of {@code serve}'s time to its ready line when all it needed was a CA file.
     */
    private static List<X509Certificate> onlyCertificateBlocks(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.indexOf("-----BEGIN ") < 0) return null;
        Matcher block = PEM_BLOCK.matcher(text);
        List<X509Certificate> certificates = new ArrayList<>();
        int blocks = 0;
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            while (block.find()) {
                blocks++;
                if (!block.group(1).equals("CERTIFICATE")) return null;
                byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            return null;
        }
        // every BEGIN must have been part of a whole block, or BouncyCastle should say what is wrong
        int begins = text.split("-----BEGIN ", -1).length - 1;
        return blocks == 0 || begins != blocks ? null : List.copyOf(certificates);
    }

    private static byte[] read(Path file, String what) throws TlsConfigException {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsConfigException("The " + what + " file " + file + " is a directory, not a file.");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException("The " + what + " file " + file + " does not exist.", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException("The " + what + " file " + file + " cannot be read: permission denied.", e);
        } catch (IOException e) {
            throw new TlsConfigException("The " + what + " file " + file + " cannot be read: " + reason(e), e);
        }
    }

    private static PEMParser parser(byte[] bytes) {
        return new PEMParser(new StringReader(new String(bytes, StandardCharsets.ISO_8859_1)));
    }

    private static List<X509Certificate> readDer(byte[] bytes) {
        if (bytes.length == 0 || bytes[0] != 0x30) return List.of(); // not an ASN.1 SEQUENCE
        try {
            List<X509Certificate> result = new ArrayList<>();
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(bytes))
                    .forEach(c -> result.add((X509Certificate) c));
            return result;
        } catch (CertificateException e) {
            return List.of();
        }
    }

    private static String describe(Object pemObject) {
        if (pemObject instanceof PrivateKeyInfo || pemObject instanceof PEMKeyPair
                || pemObject instanceof PKCS8EncryptedPrivateKeyInfo || pemObject instanceof PEMEncryptedKeyPair) {
            return "a private key";
        }
        if (pemObject instanceof X509CertificateHolder) return "a certificate";
        if (pemObject instanceof X509CRLHolder) return "a certificate revocation list";
        if (pemObject instanceof PKCS10CertificationRequest) return "a certificate signing request";
        if (pemObject instanceof SubjectPublicKeyInfo) return "a public key";
        if (pemObject instanceof ASN1ObjectIdentifier) return "EC parameters";
        return "a " + pemObject.getClass().getSimpleName();
    }

    private static String reason(Exception e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }
}
