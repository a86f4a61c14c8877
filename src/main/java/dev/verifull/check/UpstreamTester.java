package dev.verifull.check;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import dev.verifull.manager.EngineSpec;
import dev.verifull.manager.InvalidSpecException;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator.Field;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.NegotiatedTls;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.UpstreamDiagnosis;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.upstream.UpstreamTarget;
import dev.verifull.upstream.UpstreamVerifier;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * "Test upstream": the engine's upstream connection once, now — TCP, SSLRequest and 'S' (or
 * direct TLS), and a TLS handshake verified exactly as the engine would — then close, without
 * ever sending a StartupMessage (no login, nothing in the server's auth log but a TLS connection).
 */
public final class UpstreamTester {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

    /** The fields whose problems make a test pointless. */
    private static final Set<Field> CONNECTION_FIELDS = EnumSet.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT,
            Field.SERVER_NAME, Field.CA_FILES, Field.CLIENT_CERTIFICATE, Field.CLIENT_KEY, Field.TLS_PROVIDER);

    private UpstreamTester() {}

    /**
     * Starts the test and returns at once. File reading and name lookup run on {@code executor};
     * the network part on a small event loop of its own; the future completes on {@code executor}.
     * The future never completes exceptionally: every problem is a result with a failure.
     */
    public static CompletableFuture<UpstreamTestResult> test(Profile p, Executor executor) {
        return test(p, executor, DEFAULT_TIMEOUT);
    }

    public static CompletableFuture<UpstreamTestResult> test(Profile p, Executor executor, Duration timeout) {
        long started = System.nanoTime();
        CompletableFuture<UpstreamTestResult> result = new CompletableFuture<>();
        Runnable run = () -> prepare(p, executor, timeout, started).whenComplete((r, error) -> completeOn(executor, result,
                r != null ? r : unusableSettings(p, started, "The test failed unexpectedly: " + error, EnumSet.noneOf(Field.class))));
        try {
            executor.execute(run);
        } catch (RejectedExecutionException e) {
            result.complete(unusableSettings(p, started, "The test could not start: " + e.getMessage(), EnumSet.noneOf(Field.class)));
        }
        return result;
    }

    /** Callers chain UI updates onto the future: keep those off the event loop. */
    private static void completeOn(Executor executor, CompletableFuture<UpstreamTestResult> result, UpstreamTestResult r) {
        try {
            executor.execute(() -> result.complete(r));
        } catch (RejectedExecutionException e) {
            result.complete(r); // the executor is shutting down: better here than never
        }
    }

    /** Runs on the executor: the settings, then the engine's verifier (lookup on the executor, the rest on the loop). */
    private static CompletableFuture<UpstreamTestResult> prepare(Profile p, Executor executor, Duration timeout, long started) {
        try {
            UpstreamTestResult invalid = invalidSettings(p, started);
            if (invalid != null) return done(invalid);
            UpstreamTls tls;
            // the last chain the server presented: a failed verification shows it too
            AtomicReference<X509Certificate[]> presented = new AtomicReference<>();
            try {
                tls = UpstreamTls.create(EngineSpec.upstreamTls(p), presented::set);
            } catch (InvalidSpecException | TlsConfigException e) {
                return done(unusableSettings(p, started, e.getMessage(), fieldsNamedIn(e.getMessage(), p)));
            }
            // One time limit for all of it, so a slow handshake is reported as a time-out too.
            UpstreamTarget target = new UpstreamTarget(p.upstreamHost(), p.upstreamPort(), p.serverName(), p.directTls(),
                    tls, timeout, Duration.ZERO);
            return verify(p, target, executor, started, presented);
        } catch (RuntimeException e) {
            return done(unusableSettings(p, started, "The test failed unexpectedly: " + e, EnumSet.noneOf(Field.class)));
        }
    }

    /** Closes the connection as soon as it is verified: no StartupMessage, so no login in the server's log. */
    private static CompletableFuture<UpstreamTestResult> verify(Profile p, UpstreamTarget target, Executor executor, long started,
                                                                AtomicReference<X509Certificate[]> presented) {
        CompletableFuture<UpstreamTestResult> outcome = new CompletableFuture<>();
        String trust = target.tls().trustDescription();
        UpstreamVerifier.connect(target, new Bootstrap().group(Loop.GROUP.next()).channel(NioSocketChannel.class), executor, new UpstreamVerifier.Listener() {
            @Override
            public void verified(Channel channel, SslHandler tls) {
                NegotiatedTls negotiated = NegotiatedTls.of(tls);
                List<X509Certificate> certificates = chain(tls.engine().getSession());
                channel.close();
                offLoop(executor, () -> outcome.complete(new UpstreamTestResult(true, target.endpoint(), target.verifiedName(), trust,
                        negotiated.protocol(), negotiated.cipherSuite(), negotiated.alpn(), summaries(certificates),
                        elapsedMillis(started), null, Set.of(), List.of(), anchor(target.tls(), certificates))));
            }

            @Override
            public void failed(UpstreamDiagnosis diagnosis) {
                X509Certificate[] sent = presented.get();
                List<X509Certificate> certificates = sent == null ? List.of() : List.of(sent);
                FieldsToCheck where = FieldsToCheck.of(p, diagnosis, target.tls().settings().mutualTls());
                offLoop(executor, () -> outcome.complete(new UpstreamTestResult(false, endpoint(p), verifiedName(p), trust, null, null,
                        null, summaries(certificates), elapsedMillis(started), diagnosis, where.fields(), where.toCheck(),
                        anchor(target.tls(), certificates))));
            }
        });
        return outcome;
    }

    private static List<X509Certificate> chain(SSLSession session) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (Certificate c : session.getPeerCertificates()) {
                if (c instanceof X509Certificate x) chain.add(x);
            }
        } catch (SSLPeerUnverifiedException e) {
            // cannot happen after a verified handshake; an empty chain says it anyway
        }
        return chain;
    }

    /** Certificate work (summaries, path building) leaves the event loop; a closing executor runs it here instead. */
    private static void offLoop(Executor executor, Runnable work) {
        try {
            executor.execute(work);
        } catch (RejectedExecutionException e) {
            work.run();
        }
    }

    private static List<CertificateSummary> summaries(List<X509Certificate> chain) {
        return chain.stream().map(CertificateSummary::of).toList();
    }

    /** Path building: on the executor, never on the event loop. */
    private static CertificateSummary anchor(UpstreamTls tls, List<X509Certificate> chain) {
        if (chain.isEmpty()) return null;
        X509Certificate anchor = tls.trustAnchorOf(chain);
        return anchor == null ? null : CertificateSummary.of(anchor);
    }

    private static UpstreamTestResult invalidSettings(Profile p, long started) {
        Map<Field, String> problems = ProfileValidator.validate(p, List.of());
        Set<Field> fields = EnumSet.noneOf(Field.class);
        StringBuilder message = new StringBuilder();
        for (Map.Entry<Field, String> e : problems.entrySet()) {
            if (!CONNECTION_FIELDS.contains(e.getKey())) continue;
            fields.add(e.getKey());
            message.append(message.length() > 0 ? "; " : "").append(e.getValue());
        }
        return fields.isEmpty() ? null : unusableSettings(p, started, message + ".", fields);
    }

    /** Which file fields a TLS setup message is about, from the paths it names. */
    private static Set<Field> fieldsNamedIn(String message, Profile p) {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        String m = message == null ? "" : message;
        for (String ca : p.caFiles()) if (m.contains(ca)) fields.add(Field.CA_FILES);
        if (p.clientCertificateFile() != null && m.contains(p.clientCertificateFile())) fields.add(Field.CLIENT_CERTIFICATE);
        if (p.clientKeyFile() != null && m.contains(p.clientKeyFile())) fields.add(Field.CLIENT_KEY);
        if (m.toLowerCase(java.util.Locale.ROOT).contains("provider")) fields.add(Field.TLS_PROVIDER);
        if (fields.isEmpty()) fields.add(p.clientCertificateFile() != null ? Field.CLIENT_CERTIFICATE : Field.CA_FILES);
        return fields;
    }

    /** The profile cannot be tried as it is; {@code message} is a sentence already. */
    private static UpstreamTestResult unusableSettings(Profile p, long started, String message, Set<Field> fields) {
        UpstreamDiagnosis d = new UpstreamDiagnosis(UpstreamDiagnosis.Kind.CONFIGURATION, message, "",
                "Fix the profile's settings, then test again.");
        return failed(p, null, started, d, FieldsToCheck.settings(p, fields));
    }

    private static UpstreamTestResult failed(Profile p, String trust, long started, UpstreamDiagnosis d, FieldsToCheck where) {
        return new UpstreamTestResult(false, endpoint(p), verifiedName(p), trust, null, null, null,
                List.of(), elapsedMillis(started), d, where.fields(), where.toCheck());
    }

    static String endpoint(Profile p) {
        return UpstreamTarget.endpoint(p.upstreamHost(), p.upstreamPort());
    }

    /** The name the certificate must carry: the server name, else the host. */
    static String verifiedName(Profile p) {
        return UpstreamTarget.verifiedName(p.upstreamHost(), p.serverName());
    }

    private static long elapsedMillis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /** One daemon I/O thread, created on first use; tests are rare and short. */
    private static final class Loop {
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1,
                new DefaultThreadFactory("verifull-upstream-test", true), NioIoHandler.newFactory());
    }
}
