package dev.verifull.engine;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The engine's live sessions: creation, the session limit, events to listeners, and closing
 * hooks so a session can be ended from outside (the UI's "end session", shutdown).
 */
public final class SessionRegistry {
    private static final AtomicLong IDS = new AtomicLong();

    private final String engine;
    private final Clock clock;
    private final Map<Long, Entry> live = new ConcurrentHashMap<>();
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();

    private record Entry(Session session, Runnable closer) {}

    public SessionRegistry(String engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    public Session open(InetSocketAddress client, String upstreamHost, int upstreamPort, Runnable closer) {
        Session s = new Session(IDS.incrementAndGet(), engine, clock, client, upstreamHost, upstreamPort);
        live.put(s.id(), new Entry(s, closer));
        return s;
    }

    /** Sessions counted against the limit: everything live except cancel requests. */
    public int countedSessions() {
        int n = 0;
        for (Entry e : live.values()) if (!e.session().isCancel()) n++;
        return n;
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

    public void started(Session s) {
        if (s.markStarted()) emit(SessionEvent.Type.START, s);
    }

    /** Records a refusal and ends the session; the REFUSED event replaces START/END. */
    public void refused(Session s, Refusal refusal, String endReason) {
        s.refused(refusal);
        if (s.end(endReason)) {
            live.remove(s.id());
            emit(SessionEvent.Type.REFUSED, s);
        }
    }

    public void ended(Session s, String reason) {
        if (s.end(reason)) {
            live.remove(s.id());
            emit(s.outcome() == Outcome.REFUSED ? SessionEvent.Type.REFUSED : SessionEvent.Type.END, s);
        }
    }

    public List<SessionRecord> snapshots() {
        List<SessionRecord> out = new ArrayList<>(live.size());
        for (Entry e : live.values()) out.add(e.session().snapshot());
        out.sort(Comparator.comparingLong(SessionRecord::id));
        return out;
    }

    /** Closes one live session's connections; false if there is no such session. */
    public boolean close(long id) {
        Entry e = live.get(id);
        if (e == null) return false;
        e.closer().run();
        return true;
    }

    public void closeAll() {
        for (Entry e : live.values()) e.closer().run();
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
