package dev.verifull.app.profiles;

import dev.verifull.app.ui.TailscaleState;
import dev.verifull.profile.Profile;

/** The host a client should use for a profile: loopback, or this machine's MagicDNS name (its Tailscale address without one). */
public final class ConnectAddress {
    public static final String LOOPBACK = "127.0.0.1";

    private ConnectAddress() {}

    /** @return the host, or null when a tailnet profile's address is not known (Tailscale not running) */
    public static String host(Profile profile, TailscaleState tailscale) {
        if (profile.binding() == Profile.Binding.LOCAL_ONLY) return LOOPBACK;
        if (tailscale == null) return null;
        if (!tailscale.dnsName().isEmpty()) return tailscale.dnsName();
        return tailscale.address().isEmpty() ? null : tailscale.address(); // MagicDNS off: the 100.x address works as well
    }
}
