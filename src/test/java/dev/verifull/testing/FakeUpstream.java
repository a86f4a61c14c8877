package dev.verifull.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * A misbehaving (or merely untrusted) upstream for refusal tests. It records every byte a client
 * sends after the SSLRequest, plaintext or decrypted, so a test can prove that the client's
 * StartupMessage never reached it.
 */
public final class FakeUpstream implements AutoCloseable {
    public enum Mode {
        /** 'S', then TLS with the given certificate; reads whatever comes after. */
        TLS,
        /** Answers 'N' (no TLS). */
        ANSWER_N,
        /** Answers the SSLRequest with an ErrorResponse. */
        ANSWER_ERROR,
        /** 'S', then closes as soon as the ClientHello arrives. */
        CLOSE_MID_HANDSHAKE,
        /** Ignores the SSLRequest and talks plaintext PostgreSQL (AuthenticationOk...). */
        PLAINTEXT,
        /** 'S' followed at once by injected plaintext bytes. */
        S_THEN_DATA
    }

    private final ServerSocket server;
    private final Mode mode;
    private final TestPki.Issued certificate;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<Socket> open = new ArrayList<>();
    private final Thread acceptor;

    public FakeUpstream(Mode mode, TestPki.Issued certificate) throws IOException {
        this.mode = mode;
        this.certificate = certificate;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "fake-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public int connections() {
        return connections.get();
    }

    /** Everything clients sent after their SSLRequest (decrypted when TLS was set up). */
    public synchronized byte[] receivedAfterSslRequest() {
        return received.toByteArray();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                synchronized (open) {
                    open.add(s);
                }
                Thread t = new Thread(() -> serve(s), "fake-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            byte[] request = new byte[8];
            in.readFully(request);
            switch (mode) {
                case ANSWER_N -> {
                    out.write('N');
                    out.flush();
                    record(in);
                }
                case ANSWER_ERROR -> {
                    out.write(errorResponse("XX000", "this server does not like you"));
                    out.flush();
                }
                case CLOSE_MID_HANDSHAKE -> {
                    out.write('S');
                    out.flush();
                    in.read(new byte[5]);
                }
                case PLAINTEXT -> {
                    // AuthenticationOk, as a server that skipped TLS negotiation might send.
                    out.write(new byte[] {'R', 0, 0, 0, 8, 0, 0, 0, 0});
                    out.flush();
                    record(in);
                }
                case S_THEN_DATA -> {
                    out.write(new byte[] {'S', 'R', 0, 0, 0, 8, 0, 0, 0, 0});
                    out.flush();
                    record(in);
                }
                case TLS -> {
                    out.write('S');
                    out.flush();
                    SSLSocket tls = (SSLSocket) serverFactory().createSocket(s, null, s.getPort(), false);
                    tls.setUseClientMode(false);
                    try {
                        tls.startHandshake();
                        record(tls.getInputStream());
                    } catch (IOException handshakeFailed) {
                        // Expected whenever the proxy rejects our certificate.
                    }
                }
            }
        } catch (IOException ignored) {
            // Client went away.
        }
    }

    private void record(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            synchronized (this) {
                received.write(buf, 0, n);
            }
        }
    }

    private SSLSocketFactory serverFactory() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            List<Certificate> chain = new ArrayList<>();
            chain.add(certificate.certificate());
            chain.addAll(certificate.chainAbove());
            ks.setKeyEntry("k", certificate.key(), new char[0], chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx.getSocketFactory();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] errorResponse(String sqlState, String message) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (String f : new String[] {"SFATAL", "VFATAL", "C" + sqlState, "M" + message}) {
            body.writeBytes(f.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            body.write(0);
        }
        body.write(0);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('E');
        int len = b.length + 4;
        out.write(len >>> 24);
        out.write(len >>> 16);
        out.write(len >>> 8);
        out.write(len);
        out.writeBytes(b);
        return out.toByteArray();
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
