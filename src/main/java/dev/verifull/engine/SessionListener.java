package dev.verifull.engine;

/**
 * Receives session events. Called on engine event loop threads: implementations must return
 * quickly and never block (hand work to another thread).
 */
@FunctionalInterface
public interface SessionListener {
    void onSessionEvent(SessionEvent event);
}
