package dev.verifull.tls;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

/** Small key helpers shared by the local CA and the client certificate loader. */
public final class Keys {
    static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {}

    static KeyPair newEcP256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    /**
     * Whether the private key belongs to the public key: signs a random message and verifies it,
     * which works for every key type without comparing encodings. Unknown key types pass, so the
     * handshake has the last word on them.
     */
    public static boolean belongTogether(PrivateKey key, PublicKey publicKey) {
        String algorithm = signatureAlgorithm(key);
        if (algorithm == null) return true;
        if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) return false;
        try {
            byte[] message = new byte[32];
            RANDOM.nextBytes(message);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(message);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String signatureAlgorithm(PrivateKey key) {
        switch (key.getAlgorithm()) {
            case "RSA": return "SHA256withRSA";
            case "EC": return "SHA256withECDSA";
            case "Ed25519": return "Ed25519";
            case "EdDSA": return "EdDSA";
            default: return null;
        }
    }
}
