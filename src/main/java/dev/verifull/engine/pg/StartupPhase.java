package dev.verifull.engine.pg;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where a client connection stands, from accept to relay. {@link ClientStartupHandler} moves
 * between these in one method, and only along the transitions listed here:
 *
 * <pre>
 * AWAITING_ADMISSION  -> NEGOTIATING                      the admission step answered
 * NEGOTIATING         -> GSS_DECLINED                     GSSENCRequest, answered 'N'
 * NEGOTIATING, GSS_DECLINED -> TLS_HANDSHAKE              SSLRequest answered 'S' (or, first only, a direct TLS ClientHello)
 * NEGOTIATING, GSS_DECLINED -> TLS_DECLINED               SSLRequest answered 'N' (TLS not offered to clients)
 * TLS_HANDSHAKE       -> AWAITING_STARTUP                 the client's TLS handshake completed
 * NEGOTIATING, GSS_DECLINED, TLS_DECLINED, AWAITING_STARTUP
 *                     -> CONNECTING_UPSTREAM              StartupMessage, with a session slot
 *                     -> FORWARDING_CANCEL                CancelRequest
 * CONNECTING_UPSTREAM -> RELAYING                         the upstream is verified
 * any but CLOSED      -> REFUSING -> CLOSED               a refusal (an ErrorResponse where the client can read one)
 * any                 -> CLOSED                           the connection is gone
 * </pre>
 */
enum StartupPhase {
    AWAITING_ADMISSION,
    NEGOTIATING,
    GSS_DECLINED,
    TLS_DECLINED,
    TLS_HANDSHAKE,
    AWAITING_STARTUP,
    CONNECTING_UPSTREAM,
    FORWARDING_CANCEL,
    RELAYING,
    REFUSING,
    CLOSED;

    private static final Map<StartupPhase, Set<StartupPhase>> NEXT = new EnumMap<>(StartupPhase.class);

    static {
        NEXT.put(AWAITING_ADMISSION, EnumSet.of(NEGOTIATING));
        NEXT.put(NEGOTIATING, EnumSet.of(GSS_DECLINED, TLS_DECLINED, TLS_HANDSHAKE, CONNECTING_UPSTREAM, FORWARDING_CANCEL));
        NEXT.put(GSS_DECLINED, EnumSet.of(TLS_DECLINED, TLS_HANDSHAKE, CONNECTING_UPSTREAM, FORWARDING_CANCEL));
        NEXT.put(TLS_DECLINED, EnumSet.of(CONNECTING_UPSTREAM, FORWARDING_CANCEL));
        NEXT.put(TLS_HANDSHAKE, EnumSet.of(AWAITING_STARTUP));
        NEXT.put(AWAITING_STARTUP, EnumSet.of(CONNECTING_UPSTREAM, FORWARDING_CANCEL));
        NEXT.put(CONNECTING_UPSTREAM, EnumSet.of(RELAYING));
        NEXT.put(FORWARDING_CANCEL, EnumSet.noneOf(StartupPhase.class));
        NEXT.put(RELAYING, EnumSet.noneOf(StartupPhase.class));
        NEXT.put(REFUSING, EnumSet.noneOf(StartupPhase.class));
        NEXT.put(CLOSED, EnumSet.noneOf(StartupPhase.class));
        for (StartupPhase p : values()) {
            if (p != CLOSED) NEXT.get(p).add(CLOSED);
            if (p != CLOSED && p != REFUSING && p != RELAYING && p != FORWARDING_CANCEL) NEXT.get(p).add(REFUSING);
        }
    }

    boolean canMoveTo(StartupPhase next) {
        return NEXT.get(this).contains(next);
    }

    /**
     * The client has sent neither a StartupMessage nor a CancelRequest yet: it is in the engine's
     * startup pool and under the handshake timeout, and holds no session slot.
     */
    boolean unfinished() {
        return compareTo(AWAITING_STARTUP) <= 0;
    }

    /**
     * The client is between packets, plaintext or inside TLS: its packets are read and acted on,
     * and an ErrorResponse written now is what it reads next.
     */
    boolean readsPackets() {
        return this == NEGOTIATING || this == GSS_DECLINED || this == TLS_DECLINED || this == AWAITING_STARTUP;
    }
}
