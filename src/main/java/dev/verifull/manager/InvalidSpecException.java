package dev.verifull.manager;

/** Settings that cannot make an engine; the message is for the user, as it stands. */
public final class InvalidSpecException extends Exception {
    public InvalidSpecException(String message) {
        super(message);
    }
}
