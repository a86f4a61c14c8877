package dev.verifull.engine;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import dev.verifull.tls.UpstreamDiagnosis;

/**
 * The engine's live sessions: creation, the session slots, events to listeners, and closing
 * hooks so a session can be ended from outside (the UI's "end session", shutdown).
 */
public final class SessionRegistry {
    private final String engine;
    private final Clock clock;
    private final Map<Long, Entry> live = new ConcurrentHashMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<UpstreamObserver> upstreamObservers = new CopyOnWriteArrayList<>();
    private final AtomicInteger slots = new AtomicInteger();

    /** {@code closer} cuts the session's connections, telling the client why where it can. */
    private record Entry(Session session, Consumer<SessionEnd> closer) {}

    public SessionRegistry(String engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    public Session open(InetSocketAddress client, String upstreamHost, int upstreamPort, Consumer<SessionEnd> closer) {
        Session s = new Session(SessionIds.next(), engine, clock, client, upstreamHost, upstreamPort);
        live.put(s.id(), new Entry(s, closer));
        return s;
    }

    /**
     * Takes one of {@code limit} session slots for {@code s}, given back when it ends; false when
     * all are taken. Called once the client sent its StartupMessage: a connection still in its
     * startup phase (or a cancel request) holds no slot, so idle sockets cannot lock anyone out.
     */
    public boolean takeSlot(Session s, int limit) {
        int n;
        do {
            n = slots.get();
            if (n >= limit) return false;
        } while (!slots.compareAndSet(n, n + 1));
        if (!s.holdSlot()) slots.decrementAndGet(); // it had one already
        return true;
    }

    /** Session slots taken now. */
    public int slotsTaken() {
        return slots.get();
    }

    public int liveCount() {
        return live.size();
    }

    public void addListener(SessionListener l) {
        listeners.add(l);
    }

    public void removeListener(SessionListener l) {
        listeners.remove(l);
    }

    public void addUpstreamObserver(UpstreamObserver o) {
        upstreamObservers.add(o);
    }

    public void removeUpstreamObserver(UpstreamObserver o) {
        upstreamObservers.remove(o);
    }

    /** An upstream attempt ended: verified ({@code failure} null) or failed with that kind, after {@code nanos}. */
    public void upstreamAttempt(UpstreamDiagnosis.Kind failure, long nanos) {
        for (UpstreamObserver o : upstreamObservers) {
            try {
                if (failure == null) o.verified(nanos);
                else o.failed(failure, nanos);
            } catch (RuntimeException ignored) {
                // as for session listeners: an observer's fault must not break the event loop
            }
        }
    }

    public void started(Session s) {
        if (s.markStarted()) emit(SessionEvent.Type.START, s);
    }

    /** Records a refusal and ends the session; the REFUSED event replaces START/END. */
    public void refused(Session s, Refusal refusal, String endReason) {
        s.refused(refusal);
        if (s.end(SessionEnd.of(SessionEnd.Cause.REFUSED, endReason))) {
            live.remove(s.id());
            if (s.releaseSlot()) slots.decrementAndGet();
            emit(SessionEvent.Type.REFUSED, s);
        }
    }

    public void ended(Session s, SessionEnd how) {
        if (s.end(how)) {
            live.remove(s.id());
            if (s.releaseSlot()) slots.decrementAndGet();
            emit(s.outcome() == Outcome.REFUSED ? SessionEvent.Type.REFUSED : SessionEvent.Type.END, s);
        }
    }

    public List<SessionRecord> snapshots() {
        List<SessionRecord> out = new ArrayList<>(live.size());
        for (Entry e : live.values()) out.add(e.session().snapshot());
        out.sort(Comparator.comparingLong(SessionRecord::id));
        return out;
    }

    /** Ends one live session from the app ("End session"); false if there is no such session. */
    public boolean close(long id) {
        Entry e = live.get(id);
        if (e == null) return false;
        e.closer().accept(SessionEnd.of(SessionEnd.Cause.ENDED_IN_APP));
        return true;
    }

    /** Cuts every live session, for {@code why} ({@link SessionEnd.Cause#SHUTDOWN} or {@link SessionEnd.Cause#GRACE_OVER}). */
    public void closeAll(SessionEnd.Cause why) {
        for (Entry e : live.values()) e.closer().accept(SessionEnd.of(why));
    }

    public void forEachLive(Consumer<Session> action) {
        for (Entry e : live.values()) action.accept(e.session());
    }

    private void emit(SessionEvent.Type type, Session s) {
        SessionEvent event = new SessionEvent(type, s.snapshot());
        for (SessionListener l : listeners) {
            try {
                l.onSessionEvent(event);
            } catch (RuntimeException ignored) {
                // A faulty listener must not break the session's event loop.
            }
        }
    }
}
