package dev.verifull.engine;

/** Life cycle of one engine. */
public enum EngineState {
    STOPPED, STARTING, WAITING, RUNNING, STOPPING, FAILED
}
