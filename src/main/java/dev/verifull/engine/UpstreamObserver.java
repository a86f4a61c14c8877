package dev.verifull.engine;

import dev.verifull.tls.UpstreamDiagnosis;

/**
 * Hears every verified-upstream attempt of an engine (for a session or kept warm): how long it
 * took and, when it failed, the diagnosis's kind. Sessions' records say what a client was told;
 * this says how the upstream behaved, which metrics need. Called on event loops: return quickly.
 */
public interface UpstreamObserver {
    /** TCP, the TLS request and a verified handshake took {@code nanos}. */
    void verified(long nanos);

    /** The attempt failed after {@code nanos} with this kind of diagnosis. */
    void failed(UpstreamDiagnosis.Kind kind, long nanos);
}
