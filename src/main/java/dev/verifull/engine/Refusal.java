package dev.verifull.engine;

import java.util.Objects;

/**
 * A refusal as the client will read it: message (starts with {@code verifull:}), detail, and a
 * hint that says what to check.
 */
public record Refusal(RefusalReason reason, String message, String detail, String hint) {
    public Refusal {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        if (!message.startsWith("verifull: ")) {
            message = "verifull: " + message;
        }
    }

    public static Refusal of(RefusalReason reason, String message, String hint) {
        return new Refusal(reason, message, null, hint);
    }

    public String sqlState() {
        return reason.sqlState();
    }
}
