package dev.verifull.tls;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSessionContext;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * A server {@link SslContext} whose certificate can be replaced while the engine runs: each new
 * connection gets the context current at that moment, connections already in TLS keep theirs.
 * Used where the certificate changes under a running listener (Tailscale renews its
 * certificate; new Tailscale addresses need a new local-CA leaf).
 */
public final class ReplaceableSslContext extends SslContext {
    private volatile SslContext current;

    public ReplaceableSslContext(SslContext initial) {
        this.current = requireServer(initial);
    }

    public void replace(SslContext next) {
        this.current = requireServer(next);
    }

    public SslContext current() {
        return current;
    }

    private static SslContext requireServer(SslContext context) {
        Objects.requireNonNull(context, "context");
        if (context.isClient()) throw new IllegalArgumentException("a server context is needed");
        return context;
    }

    // Handlers come from the current context itself, so provider-specific handler set-up
    // (e.g. OpenSSL's) is kept.
    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls) {
        return current.newHandler(alloc);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, boolean startTls, Executor executor) {
        return current.newHandler(alloc, executor);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls) {
        return current.newHandler(alloc, peerHost, peerPort);
    }

    @Override
    protected SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort, boolean startTls,
            Executor executor) {
        return current.newHandler(alloc, peerHost, peerPort, executor);
    }

    @Override
    public boolean isClient() {
        return false;
    }

    @Override
    public List<String> cipherSuites() {
        return current.cipherSuites();
    }

    @Override
    @SuppressWarnings("deprecation")
    public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
        return current.applicationProtocolNegotiator();
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc) {
        return current.newEngine(alloc);
    }

    @Override
    public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
        return current.newEngine(alloc, peerHost, peerPort);
    }

    @Override
    public SSLSessionContext sessionContext() {
        return current.sessionContext();
    }
}
