package dev.verifull.engine;

import java.time.Clock;
import java.util.concurrent.Executor;

/** What the protocol handlers of one engine share. */
public record EngineContext(EngineConfig config, SessionRegistry sessions, CancelKeys cancelKeys,
                            NettyTransport transport, Executor blockingExecutor, Clock clock) {
}
