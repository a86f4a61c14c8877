package dev.verifull.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import dev.verifull.engine.Outcome;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionListener;
import dev.verifull.engine.SessionRecord;
import dev.verifull.engine.UpstreamObserver;
import dev.verifull.tls.UpstreamDiagnosis;

/**
 * One engine's counters, fed by its session events and upstream attempts, written as Prometheus
 * metrics. Every label value comes from a fixed set (enum constants), never from what a client
 * sent, so the number of series stays bounded whoever connects.
 */
public final class EngineMetrics implements SessionListener, UpstreamObserver {
    private final Supplier<List<SessionRecord>> live;
    private final Clock clock;
    private final Set<Long> open = ConcurrentHashMap.newKeySet();
    private final Map<Outcome, LongAdder> outcomes = new EnumMap<>(Outcome.class);
    private final Map<RefusalReason, LongAdder> refusals = new EnumMap<>(RefusalReason.class);
    private final Map<UpstreamDiagnosis.Kind, LongAdder> failures = new EnumMap<>(UpstreamDiagnosis.Kind.class);
    private final LongAdder endedFromClient = new LongAdder();
    private final LongAdder endedToClient = new LongAdder();
    /** The last values shown: a session moving from live to ended between two reads must not make a counter go back. */
    private long shownFromClient;
    private long shownToClient;
    private final Histogram startupPhase = new Histogram(Histogram.SECONDS);
    private final Histogram handshakeVerified = new Histogram(Histogram.SECONDS);
    private final Histogram handshakeFailed = new Histogram(Histogram.SECONDS);

    /** @param live the engine's live connections now (their bytes so far count too) */
    public EngineMetrics(Supplier<List<SessionRecord>> live, Clock clock) {
        this.live = live;
        this.clock = clock;
        for (Outcome o : Outcome.values()) outcomes.put(o, new LongAdder());
        for (RefusalReason r : RefusalReason.values()) refusals.put(r, new LongAdder());
        for (UpstreamDiagnosis.Kind k : UpstreamDiagnosis.Kind.values()) failures.put(k, new LongAdder());
    }

    @Override
    public void onSessionEvent(SessionEvent event) {
        SessionRecord r = event.record();
        switch (event.type()) {
            case START -> {
                open.add(r.id());
                if (r.startedAt() != null) startupPhase.observeNanos(Duration.between(r.startedAt(), clock.instant()).toNanos());
            }
            case END, REFUSED -> {
                endedFromClient.add(r.bytesFromClient());
                endedToClient.add(r.bytesToClient());
                open.remove(r.id());
                if (r.outcome() != null) outcomes.get(r.outcome()).increment();
                if (event.type() == SessionEvent.Type.REFUSED && r.refusalReason() != null) refusals.get(r.refusalReason()).increment();
            }
        }
    }

    @Override
    public void verified(long nanos) {
        handshakeVerified.observeNanos(nanos);
    }

    @Override
    public void failed(UpstreamDiagnosis.Kind kind, long nanos) {
        failures.get(kind).increment();
        handshakeFailed.observeNanos(nanos);
    }

    public void write(Exposition out) {
        List<SessionRecord> now = live.get();
        out.family("verifull_sessions_open", Exposition.Type.GAUGE,
                "Sessions whose StartupMessage reached the verified upstream and that have not ended.");
        out.sample("verifull_sessions_open", open.size());
        out.family("verifull_connections_open", Exposition.Type.GAUGE,
                "Client connections open, including those still in their startup phase.");
        out.sample("verifull_connections_open", now.size());

        out.family("verifull_sessions_total", Exposition.Type.COUNTER, "Connections ended, by outcome.");
        outcomes.forEach((o, n) -> out.sample("verifull_sessions_total", n.sum(), "outcome", code(o.name())));
        out.family("verifull_sessions_refused_total", Exposition.Type.COUNTER, "Connections Verifull refused, by reason.");
        refusals.forEach((r, n) -> out.sample("verifull_sessions_refused_total", n.sum(), "reason", r.code()));

        long fromClient = endedFromClient.sum();
        long toClient = endedToClient.sum();
        for (SessionRecord r : now) {
            fromClient += r.bytesFromClient();
            toClient += r.bytesToClient();
        }
        synchronized (this) {
            shownFromClient = Math.max(shownFromClient, fromClient);
            shownToClient = Math.max(shownToClient, toClient);
            fromClient = shownFromClient;
            toClient = shownToClient;
        }
        out.family("verifull_bytes_total", Exposition.Type.COUNTER,
                "Bytes relayed, live sessions included: from_client (client to server) and to_client (server to client).");
        out.sample("verifull_bytes_total", fromClient, "direction", "from_client");
        out.sample("verifull_bytes_total", toClient, "direction", "to_client");

        out.family("verifull_startup_phase_seconds", Exposition.Type.HISTOGRAM,
                "From accepting a connection to its StartupMessage reaching the verified upstream (client TLS, "
                        + "identity, upstream connection and verification).");
        startupPhase.write(out, "verifull_startup_phase_seconds");
        out.family("verifull_upstream_handshake_seconds", Exposition.Type.HISTOGRAM,
                "Upstream attempts (for sessions and kept ready): name lookup, TCP, TLS request and verified handshake; "
                        + "result verified or failed.");
        handshakeVerified.write(out, "verifull_upstream_handshake_seconds", "result", "verified");
        handshakeFailed.write(out, "verifull_upstream_handshake_seconds", "result", "failed");
        out.family("verifull_upstream_verification_failures_total", Exposition.Type.COUNTER,
                "Upstream attempts that gave no verified connection, by the diagnosis's kind.");
        failures.forEach((k, n) -> out.sample("verifull_upstream_verification_failures_total", n.sum(), "kind", code(k.name())));
    }

    /** {@code SERVER_REJECTED} as {@code server_rejected}. */
    static String code(String enumName) {
        return enumName.toLowerCase(Locale.ROOT);
    }
}
