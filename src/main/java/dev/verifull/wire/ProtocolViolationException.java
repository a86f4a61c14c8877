package dev.verifull.wire;

/** The peer sent bytes that break the PostgreSQL protocol; the message is meant for humans. */
public final class ProtocolViolationException extends Exception {
    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String message) {
        super(message);
    }
}
