package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import dev.verifull.testing.TestPki.Issued;

/** A TLS server on 127.0.0.1 that only handshakes and reports what it saw. */
final class TlsTestServer implements AutoCloseable {

    /** What the server saw of one connection's handshake. */
    record Accepted(boolean ok, Throwable cause, List<String> sniNames, List<X509Certificate> clientChain,
                    String alpn, NegotiatedTls negotiated) {}

    private final Channel serverChannel;
    private final ChannelGroup children = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final BlockingQueue<Accepted> accepted = new LinkedBlockingQueue<>();

    private TlsTestServer(EventLoopGroup group, SslContext context) throws InterruptedException {
        serverChannel = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        children.add(ch);
                        SslHandler ssl = context.newHandler(ch.alloc());
                        ch.pipeline().addLast(ssl, new Swallow());
                        ssl.handshakeFuture().addListener(f -> accepted.add(f.isSuccess()
                                ? describe(ssl) : new Accepted(false, f.cause(), List.of(), List.of(), null, null)));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    static TlsTestServer start(EventLoopGroup group, SslContext context) throws InterruptedException {
        return new TlsTestServer(group, context);
    }

    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    Accepted nextAccepted() throws InterruptedException {
        Accepted a = accepted.poll(20, TimeUnit.SECONDS);
        assertNotNull(a, "the test server saw no handshake");
        return a;
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        children.close().syncUninterruptibly();
    }

    // ---- server contexts (always the JDK provider: the provider under test is the client's)

    static Builder serving(Issued leaf) {
        return new Builder(leaf);
    }

    static final class Builder {
        private final Issued leaf;
        private boolean sendChain = true;
        private String[] protocols = {"TLSv1.3", "TLSv1.2"};
        private Issued clientCa;
        private boolean alpn;

        private Builder(Issued leaf) {
            this.leaf = leaf;
        }

        Builder withoutChain() {
            sendChain = false;
            return this;
        }

        Builder protocols(String... p) {
            protocols = p;
            return this;
        }

        Builder requireClientCertificateFrom(Issued ca) {
            clientCa = ca;
            return this;
        }

        Builder alpnPostgresql() {
            alpn = true;
            return this;
        }

        SslContext build() throws Exception {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(leaf.certificate());
            if (sendChain) chain.addAll(leaf.chainAbove());
            SslContextBuilder b = SslContextBuilder.forServer(leaf.key(), chain)
                    .sslProvider(SslProvider.JDK)
                    .protocols(protocols);
            if (clientCa != null) b.clientAuth(ClientAuth.REQUIRE).trustManager(clientCa.certificate());
            if (alpn) {
                b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "postgresql"));
            }
            return b.build();
        }

        TlsTestServer start(EventLoopGroup group) throws Exception {
            return TlsTestServer.start(group, build());
        }
    }

    private static Accepted describe(SslHandler ssl) {
        SSLSession session = ssl.engine().getSession();
        List<String> sni = new ArrayList<>();
        try {
            if (session instanceof ExtendedSSLSession) {
                for (SNIServerName n : ((ExtendedSSLSession) session).getRequestedServerNames()) {
                    if (n instanceof SNIHostName) sni.add(((SNIHostName) n).getAsciiName());
                }
            }
        } catch (UnsupportedOperationException bouncyCastleSession) {
            sni = null; // BCJSSE sessions do not report SNI after the handshake; only the JDK server is asked
        }
        List<X509Certificate> clientChain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) clientChain.add((X509Certificate) c);
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            // fine: most tests do not use client certificates
        }
        return new Accepted(true, null, sni, clientChain, ssl.applicationProtocol(), NegotiatedTls.of(ssl));
    }

    /** Drops data and the handshake exceptions the tests provoke on purpose. */
    private static final class Swallow extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
