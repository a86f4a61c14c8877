package dev.verifull.engine.pg;

import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.verifull.engine.EngineContext;
import dev.verifull.engine.Outcome;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.Session;
import dev.verifull.engine.SessionIds;
import dev.verifull.wire.CancelRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * A CancelRequest: forwarded over a verified upstream connection only when this engine relayed
 * that backend key in a BackendKeyData, else dropped, as PostgreSQL drops unknown keys. The
 * client gets no reply either way (there never is one) and its connection is closed; the attempt
 * is on record.
 */
final class CancelForwarder {
    private CancelForwarder() {}

    /**
     * @param refusal   the admission's refusal for this client, or null: a refused peer's cancel is recorded, not sent
     * @param upstream  gives the leg to send it on, asked only for a known key
     * @param endReason hears why the client connection ends
     */
    static void forward(EngineContext engine, Session session, Channel client, CancelRequest cancel, Refusal refusal,
                        Supplier<UpstreamLeg> upstream, Consumer<String> endReason) {
        session.cancelRequest();
        client.config().setAutoRead(false);
        if (refusal != null) {
            engine.sessions().refused(session, refusal, "cancel request refused");
            client.close();
            return;
        }
        Long target = engine.cancelKeys().sessionFor(cancel.processId(), cancel.secretKey());
        if (target == null) {
            session.outcome(Outcome.CANCEL_IGNORED);
            endReason.accept("cancel request for an unknown backend key");
            client.close();
            return;
        }
        upstream.get().claim().whenReady((up, upstreamRefusal) -> {
            if (upstreamRefusal != null) {
                engine.sessions().refused(session, upstreamRefusal, "cancel request not forwarded");
                client.close();
                return;
            }
            session.outcome(Outcome.CANCEL_FORWARDED);
            endReason.accept("cancel request forwarded for session " + SessionIds.format(target));
            // The server reads the request and closes without a reply; so do we towards the client.
            up.writeAndFlush(cancel.encode(up.alloc())).addListener(ChannelFutureListener.CLOSE);
            client.close();
        });
    }
}
