package dev.verifull.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Vector;
import java.util.concurrent.atomic.AtomicInteger;

import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateEntry;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolName;
import org.bouncycastle.tls.SignatureScheme;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsServerProtocol;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.crypto.TlsCertificate;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaDefaultTlsCredentialedSigner;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * A server that speaks TLS at once, as a PostgreSQL 17 server does for direct TLS, with a valid
 * certificate (EC, from {@link TestPki}) but a chosen ALPN answer. BouncyCastle's low-level TLS
 * server lets a subclass select any protocol, also one the client never offered, which a JDK
 * server refuses to do. It records everything it decrypts, so a test
 * can prove that a client's StartupMessage never reached it.
 */
public final class FakeDirectTlsUpstream implements AutoCloseable {
    public enum Alpn {
        /** Selects "postgresql", as PostgreSQL 17+ does. */
        POSTGRESQL,
        /** Ignores the client's ALPN offer: the handshake completes with no protocol selected. */
        NONE,
        /** Selects "h2", which the client never offered. */
        OTHER
    }

    private static final JcaTlsCrypto CRYPTO = (JcaTlsCrypto) new JcaTlsCryptoProvider().create(new SecureRandom());

    private final Alpn alpn;
    private final TestPki.Issued identity;
    private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();

    public FakeDirectTlsUpstream(Alpn alpn, TestPki.Issued identity) throws IOException {
        this.alpn = alpn;
        this.identity = identity;
        Thread acceptor = new Thread(this::acceptLoop, "fake-direct-tls");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** Everything clients sent inside TLS. */
    public byte[] received() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                synchronized (open) {
                    open.add(s);
                }
                Thread t = new Thread(() -> serve(s), "fake-direct-tls-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            TlsServerProtocol tls = new TlsServerProtocol(s.getInputStream(), s.getOutputStream());
            tls.accept(new Server());
            InputStream in = tls.getInputStream();
            byte[] buf = new byte[4096];
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (received) {
                    received.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            // The client refused the handshake or went away: expected in these tests.
        }
    }

    private final class Server extends DefaultTlsServer {
        Server() {
            super(CRYPTO);
        }

        @Override
        @SuppressWarnings({"rawtypes", "unchecked"})
        protected Vector getProtocolNames() {
            if (alpn == Alpn.NONE) return null;
            Vector names = new Vector();
            names.add(alpn == Alpn.POSTGRESQL ? ProtocolName.asUtf8Encoding("postgresql") : ProtocolName.HTTP_2_TLS);
            return names;
        }

        /** For OTHER, "h2" although the client did not offer it (RFC 7301 says to refuse instead). */
        @Override
        @SuppressWarnings("rawtypes")
        protected ProtocolName selectProtocolName(Vector clientProtocolNames, Vector serverProtocolNames) {
            return alpn == Alpn.OTHER ? ProtocolName.HTTP_2_TLS : super.selectProtocolName(clientProtocolNames, serverProtocolNames);
        }

        @Override
        public TlsCredentials getCredentials() throws IOException {
            try {
                List<TlsCertificate> chain = new ArrayList<>();
                chain.add(CRYPTO.createCertificate(identity.certificate().getEncoded()));
                for (X509Certificate c : identity.chainAbove()) chain.add(CRYPTO.createCertificate(c.getEncoded()));
                Certificate certificate = TlsUtils.isTLSv13(context)
                        ? new Certificate(TlsUtils.EMPTY_BYTES, chain.stream().map(c -> new CertificateEntry(c, null))
                                .toArray(CertificateEntry[]::new))
                        : new Certificate(chain.toArray(TlsCertificate[]::new));
                return new JcaDefaultTlsCredentialedSigner(new TlsCryptoParameters(context), CRYPTO, identity.key(), certificate,
                        SignatureScheme.getSignatureAndHashAlgorithm(SignatureScheme.ecdsa_secp256r1_sha256));
            } catch (CertificateEncodingException e) {
                throw new IOException(e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (open) {
            for (Socket s : open) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
