package dev.verifull.testing;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Looks at the certificate a PostgreSQL endpoint (the engine) shows after an SSLRequest, without judging it. */
public final class TlsProbe {
    private static final int SSL_REQUEST_CODE = 80877103;

    private TlsProbe() {}

    public static X509Certificate presentedCertificate(String host, int port) throws IOException, GeneralSecurityException {
        try (Socket plain = new Socket(host, port)) {
            DataOutputStream out = new DataOutputStream(plain.getOutputStream());
            out.writeInt(8);
            out.writeInt(SSL_REQUEST_CODE);
            out.flush();
            byte answer = new DataInputStream(plain.getInputStream()).readByte();
            if (answer != 'S') throw new IOException("the server answered '" + (char) answer + "' to the SSLRequest");
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new AcceptAnything()}, null);
            try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, false)) {
                s.startHandshake();
                return (X509Certificate) s.getSession().getPeerCertificates()[0];
            }
        }
    }

    private static final class AcceptAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
