package dev.verifull.tailscale;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * Who is behind a tailnet connection, from {@code /localapi/v0/whois}.
 *
 * @param loginName    e.g. {@code alice@example.com}; {@code tagged-devices} for a tagged node
 * @param displayName  e.g. {@code Alice Example}
 * @param userId       tailscaled's UserID of {@code loginName}
 * @param machine      the node's MagicDNS name without the trailing dot, or
 *                     {@value #EXTERNAL_DEVICE} for a device of someone this machine was shared with
 * @param nodeName     the MagicDNS name without the trailing dot, also for external devices
 * @param tags         the node's ACL tags; non-empty means the node acts as its tags, not as a user
 * @param os           {@code Hostinfo.OS}: linux, macOS, windows, iOS, android, …; "" if unknown
 * @param nodeStableId the node's StableID, the preferred machine identifier
 * @param nodeId       the node's numeric ID (stable only within one control server)
 * @param addresses    the node's own Tailscale IPs
 * @param capabilities app capabilities granted to this peer by the tailnet policy
 *                     ({@code CapMap}): capability name → every matching grant's value, each as
 *                     compact JSON text; a granted name may have no values
 */
public record Identity(String loginName, String displayName, long userId, String machine, String nodeName,
        List<String> tags, String os, String nodeStableId, long nodeId, List<InetAddress> addresses,
        Map<String, List<String>> capabilities) {

    public static final String TAGGED_DEVICES = "tagged-devices";
    public static final String EXTERNAL_DEVICE = "external-device";

    public Identity {
        loginName = Objects.requireNonNullElse(loginName, "");
        displayName = Objects.requireNonNullElse(displayName, "");
        machine = Objects.requireNonNullElse(machine, "");
        nodeName = Objects.requireNonNullElse(nodeName, "");
        tags = List.copyOf(tags);
        os = Objects.requireNonNullElse(os, "");
        nodeStableId = Objects.requireNonNullElse(nodeStableId, "");
        addresses = List.copyOf(addresses);
        Map<String, List<String>> caps = new LinkedHashMap<>();
        capabilities.forEach((name, values) -> caps.put(name, List.copyOf(values)));
        capabilities = java.util.Collections.unmodifiableMap(caps);
    }

    /** A tagged node: it has no user; decide on {@link #tags()}, never on the login name alone. */
    public boolean tagged() {
        return !tags.isEmpty();
    }

    /** A device of another tailnet's user, here because this machine was shared with them. */
    public boolean externalDevice() {
        return EXTERNAL_DEVICE.equals(machine);
    }

    /** Who to name in records: the login name, or the comma-joined tags of a tagged node. */
    public String user() {
        return tagged() ? String.join(",", tags) : loginName;
    }

    /** The values granted under one capability name (empty when not granted). */
    public List<String> capability(String name) {
        return capabilities.getOrDefault(name, List.of());
    }

    /** Whether the policy grants this capability at all (possibly with no values). */
    public boolean hasCapability(String name) {
        return capabilities.containsKey(name);
    }

    /**
     * Reads an {@code apitype.WhoIsResponse}. Fails closed: without a node, a user (or tags) and
     * a machine name the answer identifies nobody.
     */
    static Identity parseWhoIs(String json) throws MalformedAnswerException {
        JsonObject root = Json.parseObject(json, "whois");
        JsonObject node = Json.object(root, "Node");
        JsonObject profile = Json.object(root, "UserProfile");
        if (node == null) throw new MalformedAnswerException("whois", "it has no Node");
        if (profile == null) throw new MalformedAnswerException("whois", "it has no UserProfile");
        JsonObject hostinfo = Json.object(node, "Hostinfo");
        String nodeName = TailscaleStatus.withoutTrailingDot(Json.string(node, "Name"));
        if (nodeName.isEmpty()) nodeName = Json.string(node, "ComputedName");
        if (nodeName.isEmpty()) nodeName = Json.string(hostinfo, "Hostname");
        List<String> tags = Json.strings(node, "Tags");
        String login = Json.string(profile, "LoginName");
        if (nodeName.isEmpty()) throw new MalformedAnswerException("whois", "the node has no name");
        if (login.isEmpty() && tags.isEmpty()) throw new MalformedAnswerException("whois", "it names no user and no tags");
        // pgproxy's rule: a sharee node (Hostinfo.ShareeNode) is someone else's device.
        String machine = Json.bool(hostinfo, "ShareeNode") ? EXTERNAL_DEVICE : nodeName;
        List<InetAddress> addresses = Json.strings(node, "Addresses").stream()
                .map(prefix -> prefix.contains("/") ? prefix.substring(0, prefix.indexOf('/')) : prefix)
                .flatMap(ip -> PeerAddresses.parseLiteral(ip).stream())
                .toList();
        return new Identity(login, Json.string(profile, "DisplayName"), Json.number(profile, "ID"), machine, nodeName,
                tags, Json.string(hostinfo, "OS"), Json.string(node, "StableID"), Json.number(node, "ID"), addresses,
                capabilities(Json.object(root, "CapMap")));
    }

    // CapMap: name -> array of opaque JSON values, one per matching grant (null = granted, no values).
    private static Map<String, List<String>> capabilities(JsonObject capMap) {
        Map<String, List<String>> caps = new LinkedHashMap<>();
        if (capMap == null) return caps;
        for (Map.Entry<String, JsonElement> e : capMap.entrySet()) {
            List<String> values = caps.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>());
            if (e.getValue().isJsonArray()) {
                e.getValue().getAsJsonArray().forEach(v -> values.add(v.toString()));
            } else if (!e.getValue().isJsonNull()) {
                values.add(e.getValue().toString());
            }
        }
        return caps;
    }
}
