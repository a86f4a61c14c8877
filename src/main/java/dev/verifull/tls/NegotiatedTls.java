package dev.verifull.tls;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.handler.ssl.SslHandler;

/**
 * What one side of a session negotiated, read after a successful handshake.
 *
 * @param protocol    e.g. {@code TLSv1.3}
 * @param cipherSuite e.g. {@code TLS_AES_128_GCM_SHA256}
 * @param peer        the peer's leaf certificate, or {@code null} when it sent none
 * @param alpn        the selected ALPN protocol, or {@code null}
 */
public record NegotiatedTls(String protocol, String cipherSuite, CertificateSummary peer, String alpn) {

    public static NegotiatedTls of(SslHandler handler) {
        SSLSession session = handler.engine().getSession();
        return new NegotiatedTls(session.getProtocol(), session.getCipherSuite(), peerLeaf(session),
                handler.applicationProtocol());
    }

    private static CertificateSummary peerLeaf(SSLSession session) {
        try {
            Certificate[] chain = session.getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate) {
                return CertificateSummary.of((X509Certificate) chain[0]);
            }
        } catch (SSLPeerUnverifiedException e) {
            // the peer sent no certificate: normal for the client side without mTLS
        }
        return null;
    }
}
