package dev.verifull.manager;

import java.util.Locale;

/** How an engine identifies connecting clients ({@code serve --identity}, or a profile's binding). */
public enum IdentityMode {
    /** Ask tailscaled (whois) and apply the access rules; fail closed. */
    TAILSCALE,
    /** Local-only: loopback clients are this machine's user. */
    LOCAL,
    /** No identity check (the engine issue's behaviour). */
    NONE;

    static IdentityMode parse(String value) throws InvalidSpecException {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("unknown --identity '" + value + "' (use tailscale, local or none)");
        }
    }
}
