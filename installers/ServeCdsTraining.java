import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A training run of {@code verifull serve} for the runtime's CDS archive (see Dist.java), beside
 * CdsTraining's run of the desktop app: starts serve in front of a stand-in PostgreSQL on the
 * loopback (TLS with a key Dist made with keytool, then just enough of the protocol: trust
 * authentication, one answer per query), runs sessions through it in plaintext and in TLS, and
 * exits so the JVM has listed the classes it loaded (-XX:DumpLoadedClassList). No network.
 *
 * <pre>  java -cp ...:verifull.jar ServeCdsTraining DIR</pre>
 * DIR holds upstream.p12 (password "training", a key for CN=localhost) and upstream.pem (its
 * certificate, the CA serve trusts). Exit 2 when serve does not come up or a session fails.
 */
public final class ServeCdsTraining {
    private static final char[] PASSWORD = "training".toCharArray();
    private static final int SSL_REQUEST = 80877103;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("upstream.p12"))) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(kmf.getKeyManagers(), null, null);

        ServerSocket upstream = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("training-upstream", () -> {
            while (true) {
                Socket s = upstream.accept();
                daemon("training-backend", () -> backend(s, serverTls));
            }
        });

        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String[] serve = {"serve", "--listen", "127.0.0.1:" + port, "--upstream", "127.0.0.1:" + upstream.getLocalPort(),
                "--upstream-ca", dir.resolve("upstream.pem").toString(), "--upstream-server-name", "localhost",
                "--client-tls", "on", "--local-ca-dir", dir.resolve("localca").toString(), "--name", "training", "--grace", "1"};
        daemon("training-serve", () -> {
            try {
                Class.forName("dev.verifull.Main").getMethod("main", String[].class).invoke(null, (Object) serve);
            } catch (InvocationTargetException e) {
                e.getCause().printStackTrace();
                System.exit(3);
            }
        });

        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!accepts(port)) {
            if (System.nanoTime() > deadline) {
                System.err.println("ServeCdsTraining: serve did not listen within 60 s");
                System.exit(2);
            }
            Thread.sleep(50);
        }
        SSLContext trustAny = SSLContext.getInstance("TLS");
        trustAny.init(null, new TrustManager[] {new TrustAny()}, null);
        try {
            for (int i = 0; i < 20; i++) session(port, null);
            for (int i = 0; i < 3; i++) session(port, trustAny);
        } catch (IOException e) {
            e.printStackTrace();
            System.exit(2);
        }
        System.exit(0);
    }

    interface Body {
        void run() throws Exception;
    }

    static void daemon(String name, Body body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                // a stand-in backend that ends with its connection: nothing to report
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A client session as psql makes it: startup, trust authentication, queries, Terminate. */
    static void session(int port, SSLContext tls) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(30_000);
        socket.setTcpNoDelay(true);
        try (Socket s = socket) {
            Socket conn = s;
            if (tls != null) {
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                out.writeInt(8);
                out.writeInt(SSL_REQUEST);
                out.flush();
                if (s.getInputStream().read() != 'S') throw new IOException("serve refused TLS");
                SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, "localhost", port, true);
                t.startHandshake();
                conn = t;
            }
            DataInputStream in = new DataInputStream(conn.getInputStream());
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(conn.getOutputStream()));
            byte[] params = "user\0training\0database\0training\0application_name\0cds-training\0\0".getBytes(StandardCharsets.UTF_8);
            out.writeInt(8 + params.length);
            out.writeInt(196608);
            out.write(params);
            out.flush();
            untilReady(in);
            for (int q = 0; q < 50; q++) {
                message(out, 'Q', "select 1\0".getBytes(StandardCharsets.UTF_8));
                out.flush();
                untilReady(in);
            }
            message(out, 'X', new byte[0]);
            out.flush();
        }
    }

    static void untilReady(DataInputStream in) throws IOException {
        while (true) {
            int type = in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            if (type == 'E') throw new IOException("error from serve: " + new String(body, StandardCharsets.UTF_8));
            if (type == 'Z') return;
        }
    }

    /** The stand-in PostgreSQL: TLS on SSLRequest, trust authentication, one row per query. */
    static void backend(Socket socket, SSLContext tls) throws IOException {
        try (Socket s = socket) {
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            Socket conn = s;
            int len = in.readInt();
            int code = in.readInt();
            if (code == SSL_REQUEST) {
                s.getOutputStream().write('S');
                s.getOutputStream().flush();
                SSLSocket t = (SSLSocket) tls.getSocketFactory().createSocket(s, in, true);
                t.setUseClientMode(false);
                t.startHandshake();
                conn = t;
                in = new DataInputStream(t.getInputStream());
                len = in.readInt();
                in.readInt();
            }
            in.readFully(new byte[len - 8]);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(conn.getOutputStream()));
            message(out, 'R', new byte[4]);
            message(out, 'S', "server_version\00015.0\0".getBytes(StandardCharsets.UTF_8));
            message(out, 'K', new byte[8]);
            message(out, 'Z', new byte[] {'I'});
            out.flush();
            while (true) {
                int type = in.readUnsignedByte();
                in.readFully(new byte[in.readInt() - 4]);
                if (type == 'X') return;
                message(out, 'T', rowDescription());
                message(out, 'D', new byte[] {0, 1, 0, 0, 0, 1, '1'});
                message(out, 'C', "SELECT 1\0".getBytes(StandardCharsets.UTF_8));
                message(out, 'Z', new byte[] {'I'});
                out.flush();
            }
        }
    }

    static byte[] rowDescription() {
        byte[] name = "?column?\0".getBytes(StandardCharsets.UTF_8);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(2 + name.length + 18);
        b.putShort((short) 1).put(name).putInt(0).putShort((short) 0).putInt(23).putShort((short) 4).putInt(-1).putShort((short) 0);
        return b.array();
    }

    /** Buffered: the caller flushes once per exchange, as a real client and server do. */
    static void message(DataOutputStream out, char type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(4 + body.length);
        out.write(body);
    }

    /** Only for this run's own client sessions to serve's freshly made local CA. */
    static final class TrustAny implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
