package dev.verifull.tls;

import java.time.Instant;

/**
 * One attempt to load changed upstream trust (CA files, client certificate and key) under a
 * running engine.
 *
 * @param ok     the new files are in use for new connections; false: the last good ones stay in use
 * @param at     when the attempt was made
 * @param trust  the trust in use after the attempt ({@code CA file /x/ca.pem})
 * @param error  why the files were not taken; null when ok
 * @param reason what started it: {@code files changed}, {@code SIGHUP}, {@code profile edited}
 */
public record TrustReload(boolean ok, Instant at, String trust, String error, String reason) {}
