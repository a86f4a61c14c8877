package dev.verifull.sessions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionListener;
import dev.verifull.engine.SessionRecord;

/**
 * Everything the sessions table shows: live sessions of every running engine plus the most recent
 * ended and refused ones (bounded). Listeners on event loops only append; readers take snapshots.
 */
public final class SessionFeed implements SessionListener {
    public static final int KEEP_ENDED = 1000;

    private final int keep;
    private final Deque<SessionRecord> ended = new ArrayDeque<>();
    private final Map<String, Supplier<List<SessionRecord>>> liveSources = new ConcurrentHashMap<>();
    private long version;

    public SessionFeed() {
        this(KEEP_ENDED);
    }

    public SessionFeed(int keep) {
        this.keep = keep;
    }

    /** Registers an engine's live sessions under its name (replacing an earlier one). */
    public void addLiveSource(String engine, Supplier<List<SessionRecord>> live) {
        liveSources.put(engine, live);
    }

    public void removeLiveSource(String engine) {
        liveSources.remove(engine);
    }

    @Override
    public synchronized void onSessionEvent(SessionEvent event) {
        version++;
        if (event.type() == SessionEvent.Type.START) return;
        ended.addFirst(event.record());
        while (ended.size() > keep) ended.removeLast();
    }

    /** Live sessions first (newest first), then ended and refused ones, newest first. */
    public List<SessionRecord> snapshot() {
        List<SessionRecord> live = new ArrayList<>();
        for (Supplier<List<SessionRecord>> s : liveSources.values()) live.addAll(s.get());
        live.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
        synchronized (this) {
            List<SessionRecord> out = new ArrayList<>(live.size() + ended.size());
            out.addAll(live);
            java.util.Set<Long> liveIds = new java.util.HashSet<>();
            for (SessionRecord l : live) liveIds.add(l.id());
            for (SessionRecord r : ended) {
                // A session that just ended may still be listed as live by its engine for a moment.
                if (!liveIds.contains(r.id())) out.add(r);
            }
            return out;
        }
    }

    /** Grows with every event; lets a poller skip work when nothing changed since last time. */
    public synchronized long version() {
        return version;
    }

    public synchronized void clearEnded() {
        ended.clear();
        version++;
    }
}
