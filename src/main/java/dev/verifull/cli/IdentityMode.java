package dev.verifull.cli;

import java.util.Locale;

/** {@code serve --identity}: how connecting clients are identified. */
enum IdentityMode {
    /** Ask tailscaled (whois) and apply the access rules; fail closed. */
    TAILSCALE,
    /** Local-only: loopback clients are this machine's user. */
    LOCAL,
    /** No identity check (the engine issue's behaviour). */
    NONE;

    static IdentityMode parse(String value) throws ServeCommand.UsageError {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ServeCommand.UsageError("unknown --identity '" + value + "' (use tailscale, local or none)");
        }
    }
}
