package dev.verifull.app.profiles;

import dev.verifull.app.ui.TailscaleState;
import dev.verifull.profile.Profile;

/** The host a client should use for a profile: loopback, or this machine's MagicDNS name. */
public final class ConnectAddress {
    public static final String LOOPBACK = "127.0.0.1";

    private ConnectAddress() {}

    /** @return the host, or null when a tailnet profile's name is not known (Tailscale not running) */
    public static String host(Profile profile, TailscaleState tailscale) {
        if (profile.binding() == Profile.Binding.LOCAL_ONLY) return LOOPBACK;
        return tailscale != null && !tailscale.dnsName().isEmpty() ? tailscale.dnsName() : null;
    }
}
