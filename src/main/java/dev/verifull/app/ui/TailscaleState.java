package dev.verifull.app.ui;

import dev.verifull.tailscale.TailscaleStatus;

/**
 * This machine's Tailscale state as the status line says it.
 *
 * @param dnsName MagicDNS name for connection strings of tailnet profiles; "" when unknown
 * @param address this machine's Tailscale IPv4 address (100.x.y.z), for connection strings when there is no
 *                MagicDNS name; "" when unknown
 */
public record TailscaleState(Kind kind, String text, String dnsName, String address) {
    public enum Kind { RUNNING, NOT_RUNNING, NOT_FOUND }

    public static final TailscaleState NOT_FOUND =
            new TailscaleState(Kind.NOT_FOUND, "Tailscale not found — local-only profiles still work", "", "");

    public boolean running() {
        return kind == Kind.RUNNING;
    }

    public static TailscaleState of(TailscaleStatus s) {
        return switch (s.state()) {
            case RUNNING -> new TailscaleState(Kind.RUNNING, runningText(s), s.dnsName(),
                    s.ipv4().map(a -> a.getHostAddress()).orElse(""));
            case STOPPED -> notRunning("Tailscale is stopped — start it for tailnet profiles");
            case NEEDS_LOGIN -> notRunning("Tailscale needs you to log in");
            case NEEDS_MACHINE_AUTH -> notRunning("Tailscale is waiting for an admin to approve this machine");
            case STARTING -> notRunning("Tailscale is starting");
            case IN_USE_OTHER_USER -> notRunning("Tailscale is in use by another user of this computer");
            case UNAVAILABLE -> NOT_FOUND;
            case NO_STATE, UNKNOWN -> notRunning("Tailscale state: " + (s.stateName().isEmpty() ? "unknown" : s.stateName()));
        };
    }

    private static String runningText(TailscaleStatus s) {
        String where = s.dnsName().isEmpty() ? s.hostName() : s.dnsName();
        return s.loginName().isEmpty() ? "Tailscale running on " + where : "Running as " + s.loginName() + " on " + where;
    }

    private static TailscaleState notRunning(String text) {
        return new TailscaleState(Kind.NOT_RUNNING, text, "", "");
    }
}
