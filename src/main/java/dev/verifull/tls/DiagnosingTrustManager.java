package dev.verifull.tls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK PKIX trust manager (chain and host name), then the host name once more by libpq's
 * stricter rules ({@link HostNames#matches}: the JDK also accepts partial wildcards such as
 * {@code f*.example.com}), plus an explanation when either says no.
 *
 * <p>The explanation is thrown as the cause ({@link DiagnosedCertificateException}) and also
 * remembered per {@link SSLEngine}: the JDK and BouncyCastle engines keep the cause in the
 * handshake exception, but an OpenSSL handshake failure may not, and Netty's JDK ALPN wrapper means
 * the engine seen here is not always the one the caller holds. Weak keys drop entries for engines
 * nobody asks about.
 */
final class DiagnosingTrustManager extends X509ExtendedTrustManager {
    private final TrustAnchors trust;
    private final ChainDiagnosis diagnosis;
    private final Map<SSLEngine, UpstreamDiagnosis> diagnoses = Collections.synchronizedMap(new WeakHashMap<>());

    DiagnosingTrustManager(TrustAnchors trust) {
        this.trust = trust;
        this.diagnosis = new ChainDiagnosis(trust);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        explainRejection(() -> {
            trust.pkix().checkServerTrusted(chain, authType, engine);
            if (engine != null) requireHostName(chain, engine.getSSLParameters(), engine.getPeerHost());
        }, chain, authType, engine == null ? null : engine.getPeerHost(), engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        SSLSession session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        explainRejection(() -> {
            trust.pkix().checkServerTrusted(chain, authType, socket);
            if (session != null) requireHostName(chain, ((SSLSocket) socket).getSSLParameters(), session.getPeerHost());
        }, chain, authType, session == null ? null : session.getPeerHost(), null);
    }

    /** Where the connection asked for host-name verification ("HTTPS", as {@link UpstreamTls} does). */
    private static void requireHostName(X509Certificate[] chain, SSLParameters params, String host)
            throws CertificateException {
        if (host == null || !"HTTPS".equalsIgnoreCase(params.getEndpointIdentificationAlgorithm())) return;
        if (!HostNames.matches(chain[0], host)) {
            throw new CertificateException("No name matching " + host + " found (host names are matched as libpq does)");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        explainRejection(() -> trust.pkix().checkServerTrusted(chain, authType), chain, authType, null, null);
    }

    private interface Check {
        void run() throws CertificateException;
    }

    /** Runs the JDK's check; a rejection goes on explained, and is remembered for {@code engine} when there is one. */
    private void explainRejection(Check check, X509Certificate[] chain, String authType, String host, SSLEngine engine)
            throws CertificateException {
        try {
            check.run();
        } catch (CertificateException e) {
            UpstreamDiagnosis explained = diagnosis.explain(chain, authType, host, e);
            if (engine != null) diagnoses.put(engine, explained);
            throw new DiagnosedCertificateException(explained, e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        trust.pkix().checkClientTrusted(chain, authType, engine);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        trust.pkix().checkClientTrusted(chain, authType, socket);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        trust.pkix().checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return trust.pkix().getAcceptedIssuers();
    }

    String trustDescription() {
        return trust.description();
    }

    /** The explanation recorded for this engine's rejected chain, removed on the way out. */
    UpstreamDiagnosis takeDiagnosis(SSLEngine engine) {
        return engine == null ? null : diagnoses.remove(engine);
    }
}
