package dev.verifull.manager;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.EngineConfig;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.tailnet.ClientCertificateNames;
import dev.verifull.tls.ClientTls;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.TlsProvider;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.tls.UpstreamTlsSettings;
import io.netty.handler.ssl.SslContext;

/** Turns a saved profile into an engine configuration. Reads files: call off the UI thread and event loops. */
public final class EngineConfigs {
    private EngineConfigs() {}

    public static UpstreamTls upstreamTls(Profile p) throws TlsConfigException {
        TlsProvider provider;
        try {
            provider = TlsProvider.parse(p.tlsProvider());
        } catch (IllegalArgumentException e) {
            throw new TlsConfigException("unknown TLS provider '" + p.tlsProvider() + "' (use auto, jdk, bc or openssl)");
        }
        if (!provider.isAvailable()) {
            throw new TlsConfigException("TLS provider " + p.tlsProvider() + " is not available here: " + provider.unavailableReason());
        }
        if (p.caFiles().isEmpty() && !p.systemTrust()) {
            throw new TlsConfigException("profile '" + p.name() + "' has no CA file and does not use the system trust store");
        }
        List<Path> cas = new ArrayList<>();
        for (String f : p.caFiles()) cas.add(Path.of(f));
        try {
            return UpstreamTls.create(new UpstreamTlsSettings(p.systemTrust() ? List.of() : cas, p.systemTrust(),
                    p.clientCertificateFile() != null ? Path.of(p.clientCertificateFile()) : null,
                    p.clientKeyFile() != null ? Path.of(p.clientKeyFile()) : null, p.tls13Only(), provider));
        } catch (IllegalArgumentException e) {
            throw new TlsConfigException(e.getMessage());
        }
    }

    /** Loopback addresses for a local-only profile. */
    public static List<InetSocketAddress> loopback(int port) {
        return List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    public static EngineConfig build(Profile p, List<InetSocketAddress> listen, List<String> extraNames, LocalCa localCa,
                                     ClientAdmission admission) throws TlsConfigException {
        UpstreamTls upstream = upstreamTls(p);
        ClientCertificateNames names = ClientCertificateNames.forListen(listen, extraNames);
        SslContext clientTls = ClientTls.serverContext(localCa.issueServerCertificate(names.dnsNames(), names.addresses()),
                upstream.settings().provider());
        return build(p, listen, upstream, clientTls, admission);
    }

    /** With the client-facing TLS given (e.g. a tailnet engine's replaceable certificate). */
    public static EngineConfig build(Profile p, List<InetSocketAddress> listen, UpstreamTls upstream, SslContext clientTls,
                                     ClientAdmission admission) {
        // A hand-edited profiles.json is not validated on load: a large count would take many server slots.
        String warmProblem = ProfileValidator.warmUpstreams(p.warmUpstreams());
        if (warmProblem != null) throw new IllegalArgumentException("profile '" + p.name() + "': " + warmProblem);
        return new EngineConfig(p.name(), listen, p.upstreamHost(), p.upstreamPort(), p.serverName(), p.directTls(), upstream,
                clientTls, p.maxSessions(), Duration.ofSeconds(10), Duration.ofSeconds(10), p.warmUpstreams(), admission);
    }
}
