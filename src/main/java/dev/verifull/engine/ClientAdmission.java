package dev.verifull.engine;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * Decides, before the engine reads a single byte from a client, who the client is and whether it
 * may use this engine. Implementations must not block: the engine calls this on an event loop.
 */
@FunctionalInterface
public interface ClientAdmission {
    /** Admits everyone without identifying them. */
    ClientAdmission ANYONE = remote -> java.util.concurrent.CompletableFuture.completedFuture(
            Admission.allow(PeerIdentity.UNKNOWN, "no identity check"));

    CompletionStage<Admission> admit(InetSocketAddress remote);
}
