package dev.verifull.tailscale;

/** whois answered 404: the address is not a node of this tailnet (or tailscaled is logged out). */
public final class NotATailnetPeerException extends LocalApiException {
    private static final long serialVersionUID = 1L;

    private final String peer;

    public NotATailnetPeerException(String peer) {
        super(peer + " is not a known tailnet peer");
        this.peer = peer;
    }

    /** The IP address that was asked about, as text. */
    public String peer() {
        return peer;
    }
}
