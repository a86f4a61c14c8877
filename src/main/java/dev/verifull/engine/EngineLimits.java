package dev.verifull.engine;

import java.time.Duration;

import dev.verifull.tls.TlsProvider;

/**
 * The engine's limits and defaults, in one place: the profile editor's checks, the engine spec
 * that both the app and {@code verifull serve} start from, and serve's help texts all read them
 * here. Below {@code profile} and {@code manager} so that both can use them.
 */
public final class EngineLimits {
    public static final int DEFAULT_MAX_SESSIONS = 200;
    /** The editor's upper bound; the command line takes any count from 1. */
    public static final int EDITOR_MAX_SESSIONS = 10_000;
    /**
     * Warm connections are kept per I/O thread and each holds one of the server's connection slots
     * (PostgreSQL allows 100 by default), so a few are plenty.
     */
    public static final int MAX_WARM_UPSTREAMS = 8;
    /**
     * Connections still in their startup phase (accepted, no StartupMessage yet) that one engine
     * keeps; past it the oldest is dropped. They take no session slot, so idle sockets cannot lock
     * anyone out, but each holds a socket, up to 16 KiB of buffered input, a TLS engine and an
     * identity lookup: this bounds them (a few MB in all). More than the default session limit
     * (200), so a burst that fills every slot at once fits.
     */
    public static final int MAX_UNFINISHED_STARTUPS = 256;
    /**
     * Of those, from one client address; past it that address's own oldest is dropped. Half the
     * engine's, so one machine's idle sockets leave the other half to everyone else, while a
     * connection pool of 100 opening at once from one machine still fits (everyone on this
     * machine, or behind Tailscale's userspace networking, shares 127.0.0.1).
     */
    public static final int MAX_UNFINISHED_STARTUPS_PER_PEER = 128;
    /**
     * Upstream connections an engine opens for clients before their StartupMessage (to overlap
     * the server's TCP and TLS round trips with the client's TLS handshake), in total. Each holds
     * a server backend until its client logs in or goes away, so idle sockets must not be able to
     * multiply them; two hide the round trips for an interactive client or two, and warm
     * upstreams serve busier engines.
     */
    public static final int MAX_SPECULATIVE_UPSTREAMS = 2;
    /** Past a millisecond, polling only burns the processor: replies that slow are worth a sleep. */
    public static final int MAX_BUSY_POLL_MICROS = 1000;
    /**
     * Polling is on unless turned off: long enough to catch a local server's reply to a simple
     * query, and the window shrinks by itself where replies come slower (PollWindow), so an idle
     * or remote-server engine spends next to nothing on it. docs/benchmarks.md has the numbers.
     */
    public static final int DEFAULT_BUSY_POLL_MICROS = 50;
    /** Time a client has for TLS and its startup message, and time to connect to the server. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;
    public static final int MIN_TIMEOUT_SECONDS = 1;
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
    /** The port on the Tailscale addresses when none is given. */
    public static final int DEFAULT_TAILNET_PORT = 5432;
    /**
     * Clients are not offered TLS unless asked for: their leg is loopback or the tailnet, and most
     * clients prefer TLS with SCRAM channel binding, which cannot work through a proxy that ends TLS.
     */
    public static final boolean DEFAULT_OFFER_CLIENT_TLS = false;
    /** The TLS provider names settings and options take ({@link TlsProvider#AUTO} and each provider's id). */
    public static final String TLS_PROVIDERS = "auto|jdk|bc|openssl";

    private EngineLimits() {}

    public static boolean validMaxSessions(int count) {
        return count >= 1;
    }

    public static boolean validWarmUpstreams(int count) {
        return count >= 0 && count <= MAX_WARM_UPSTREAMS;
    }

    public static boolean validBusyPoll(int micros) {
        return micros >= 0 && micros <= MAX_BUSY_POLL_MICROS;
    }

    public static boolean validTimeout(int seconds) {
        return seconds >= MIN_TIMEOUT_SECONDS;
    }

    /** "auto, jdk, bc or openssl", for messages. */
    public static String tlsProviderChoices() {
        String[] names = TLS_PROVIDERS.split("\\|");
        return String.join(", ", java.util.Arrays.copyOf(names, names.length - 1)) + " or " + names[names.length - 1];
    }
}
