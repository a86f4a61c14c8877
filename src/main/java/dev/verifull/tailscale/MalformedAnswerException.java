package dev.verifull.tailscale;

/** tailscaled answered 200 but the body is not what the LocalAPI documents. */
public final class MalformedAnswerException extends LocalApiException {
    private static final long serialVersionUID = 1L;

    public MalformedAnswerException(String operation, String detail, Throwable cause) {
        super("tailscaled's " + operation + " answer could not be read: " + detail, cause);
    }

    public MalformedAnswerException(String operation, String detail) {
        this(operation, detail, null);
    }
}
