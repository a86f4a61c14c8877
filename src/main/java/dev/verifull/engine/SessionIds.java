package dev.verifull.engine;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Session ids that stay unique when Verifull restarts and when several instances write one audit
 * log: each process draws a random 30-bit prefix once, and counts its sessions after it. The id
 * is a {@code long} inside the engine (prefix in the high 32 bits, counter in the low 32) and reads
 * as {@code k3f9a2-17} (prefix in lower-case base 32, then the counter) in the app, in serve's lines
 * and in the audit log. Two processes share a prefix with a chance of one in 2^30 (about a billion);
 * the audit log's {@code instance} field tells instances apart as well. Ids from before this
 * scheme (plain numbers from 1) read as the number, so old audit files still show and group.
 */
public final class SessionIds {
    private static final String DIGITS = "0123456789abcdefghjkmnpqrstvwxyz"; // no i, l, o, u: fewer misreadings
    private static final int PREFIX_CHARACTERS = 6;
    private static final long PREFIX = 1 + new SecureRandom().nextInt((1 << 30) - 1); // never 0: 0 marks an old plain id
    private static final AtomicLong COUNTER = new AtomicLong();

    private SessionIds() {}

    /** The next id of this process. */
    public static long next() {
        return PREFIX << 32 | (COUNTER.incrementAndGet() & 0xFFFF_FFFFL);
    }

    /** This process's prefix, as in its formatted ids. */
    public static String processPrefix() {
        return prefix(PREFIX);
    }

    /** {@code k3f9a2-17}; an id without a prefix (tests, old records) as its number. */
    public static String format(long id) {
        long prefix = id >>> 32;
        if (prefix == 0) return Long.toString(id);
        return prefix(prefix) + "-" + (id & 0xFFFF_FFFFL);
    }

    private static String prefix(long prefix) {
        char[] out = new char[PREFIX_CHARACTERS];
        for (int i = PREFIX_CHARACTERS - 1; i >= 0; i--) {
            out[i] = DIGITS.charAt((int) (prefix & 31));
            prefix >>>= 5;
        }
        return new String(out);
    }
}
