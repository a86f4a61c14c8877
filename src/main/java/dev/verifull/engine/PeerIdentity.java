package dev.verifull.engine;

import java.util.List;

/**
 * Who is behind a client connection, as far as the engine's admission step could tell (e.g. the
 * Tailscale user and machine). {@link #LOCAL} stands for loopback clients in local-only mode.
 */
public record PeerIdentity(String source, String loginName, String displayName, String machine,
                           List<String> tags, String os, String nodeId) {
    public static final PeerIdentity UNKNOWN = new PeerIdentity("none", null, null, null, List.of(), null, null);

    public PeerIdentity {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * A short label for logs and tables: login name, or the tags of a tagged device, or the display
     * name when there is no login (e.g. "this machine").
     */
    public String label() {
        if (loginName != null && !loginName.isEmpty() && !"tagged-devices".equals(loginName)) return loginName;
        if (!tags.isEmpty()) return String.join(",", tags);
        return loginName == null && displayName != null ? displayName : loginName;
    }
}
