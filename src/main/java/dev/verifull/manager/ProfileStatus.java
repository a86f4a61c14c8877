package dev.verifull.manager;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A profile's engine state with the reason when it is not running well, and where it listens.
 *
 * @param detail     human text: the error, or what it waits for; null when nothing to say
 * @param trustError changed trust (CA files, client certificate or key, on disk or edited) that did not
 *                   load: the engine runs on with the last good trust; null when there is none
 */
public record ProfileStatus(String profile, EngineStatus status, String detail, List<InetSocketAddress> addresses,
                            String trustError) {
    public ProfileStatus {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public ProfileStatus(String profile, EngineStatus status, String detail, List<InetSocketAddress> addresses) {
        this(profile, status, detail, addresses, null);
    }

    public ProfileStatus withTrustError(String error) {
        return new ProfileStatus(profile, status, detail, addresses, error);
    }

    public static ProfileStatus stopped(String profile) {
        return new ProfileStatus(profile, EngineStatus.STOPPED, null, List.of());
    }
}
