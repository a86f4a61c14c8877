package dev.verifull.manager;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * A profile's engine state with the reason when it is not running well, and where it listens.
 *
 * @param detail human text: the error, or what it waits for; null when nothing to say
 */
public record ProfileStatus(String profile, EngineStatus status, String detail, List<InetSocketAddress> addresses) {
    public ProfileStatus {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    public static ProfileStatus stopped(String profile) {
        return new ProfileStatus(profile, EngineStatus.STOPPED, null, List.of());
    }
}
