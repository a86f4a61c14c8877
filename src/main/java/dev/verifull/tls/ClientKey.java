package dev.verifull.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/** A client certificate chain with its private key, checked to belong together. */
record ClientKey(List<X509Certificate> chain, PrivateKey key) {

    static ClientKey load(Path certificateFile, Path keyFile) throws TlsConfigException {
        List<X509Certificate> chain = PemFiles.readCertificates(certificateFile);
        PrivateKey key = PemFiles.readPrivateKey(keyFile);
        if (!Keys.belongTogether(key, chain.get(0).getPublicKey())) {
            throw new TlsConfigException("The client key " + keyFile + " does not belong to the client certificate "
                    + certificateFile + " (" + CertificateSummary.of(chain.get(0)).subject() + ").");
        }
        return new ClientKey(chain, key);
    }
}
