package dev.verifull.engine.pg;

import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;

/** The refusals of the upstream leg, as the client reads them. */
final class UpstreamRefusals {
    private UpstreamRefusals() {}

    static Refusal of(EngineConfig c, UpstreamFailure f) {
        // The other failures name the server already; the client sees no other place that does.
        String message = f.kind().tlsHandshake() ? "upstream " + c.upstreamEndpoint() + ": " + f.message() : f.message();
        return new Refusal(f.kind().refusalReason(), message, f.detail().isEmpty() ? null : f.detail(), f.hint());
    }

    static Refusal clientGone(EngineConfig c) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE, "the client went away", null);
    }

    static Refusal unexpected(EngineConfig c, Throwable cause) {
        return Refusal.of(RefusalReason.UPSTREAM_UNREACHABLE,
                "the connection to the upstream server " + c.upstreamEndpoint() + " failed ("
                        + UpstreamFailures.describe(cause) + ")",
                "Check the server and the network path; see the Verifull log for details.");
    }
}
