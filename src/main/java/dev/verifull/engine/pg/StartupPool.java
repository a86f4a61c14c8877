package dev.verifull.engine.pg;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The connections of one engine that are still in their startup phase, oldest first, bounded per
 * engine and per client address. A newcomer always gets in: when a bound is reached the oldest
 * member (of that address, else of all) is dropped instead. So idle or stalled sockets can take
 * neither session slots nor the newcomer's place, and one address's pile of them pushes out only
 * its own. Shared by all event loops; a dropped member hears of it on its own loop.
 */
final class StartupPool {
    /** A connection in the pool. */
    interface Member {
        /** It was dropped to make room (it is no longer in the pool); called on any thread. */
        void dropAsOldest();
    }

    private final int perEngine;
    private final int perPeer;
    /** Every member and its address, oldest first. */
    private final LinkedHashMap<Member, InetAddress> members = new LinkedHashMap<>();
    private final Map<InetAddress, Set<Member>> byPeer = new HashMap<>();

    StartupPool(int perEngine, int perPeer) {
        if (perPeer < 1 || perEngine < perPeer) throw new IllegalArgumentException("pool " + perEngine + "/" + perPeer);
        this.perEngine = perEngine;
        this.perPeer = perPeer;
    }

    /** Adds a newcomer from {@code peer}, dropping the oldest members it has no room beside. */
    void enter(InetAddress peer, Member newcomer) {
        Member dropped = null;
        Member droppedToo = null;
        synchronized (this) {
            Set<Member> fromPeer = byPeer.get(peer);
            if (fromPeer != null && fromPeer.size() >= perPeer) dropped = removeOldest(fromPeer.iterator().next());
            if (members.size() >= perEngine) droppedToo = removeOldest(members.keySet().iterator().next());
            members.put(newcomer, peer);
            byPeer.computeIfAbsent(peer, p -> new LinkedHashSet<>()).add(newcomer);
        }
        // Outside the lock: a member on this same loop may run its refusal at once.
        if (dropped != null) dropped.dropAsOldest();
        if (droppedToo != null) droppedToo.dropAsOldest();
    }

    /** The member finished its startup phase (or is gone); nothing if it was dropped already. */
    synchronized void leave(Member member) {
        InetAddress peer = members.remove(member);
        if (peer != null) removeFromPeer(peer, member);
    }

    synchronized int size() {
        return members.size();
    }

    synchronized int size(InetAddress peer) {
        Set<Member> fromPeer = byPeer.get(peer);
        return fromPeer == null ? 0 : fromPeer.size();
    }

    private Member removeOldest(Member oldest) {
        removeFromPeer(members.remove(oldest), oldest);
        return oldest;
    }

    private void removeFromPeer(InetAddress peer, Member member) {
        Set<Member> fromPeer = byPeer.get(peer);
        fromPeer.remove(member);
        if (fromPeer.isEmpty()) byPeer.remove(peer);
    }

    /** For messages: {@code 64, 16 from one address}. */
    String limits() {
        return perEngine + ", " + perPeer + " from one address";
    }
}
