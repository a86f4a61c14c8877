package dev.verifull.engine;

/**
 * One step in a connection's life. START: the verified upstream has the client's StartupMessage.
 * END: a connection ended (a started session, a cancel request, or an abandoned startup).
 * REFUSED: Verifull refused the connection; there is no END after it.
 */
public record SessionEvent(Type type, SessionRecord record) {
    public enum Type { START, END, REFUSED }
}
