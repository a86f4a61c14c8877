package dev.verifull.tailscale;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.google.gson.JsonObject;

/**
 * This machine as tailscaled sees it ({@code /localapi/v0/status?peers=false}). Values are
 * "" or empty when tailscaled did not send them (e.g. logged out: no netmap, no addresses).
 *
 * @param state          backend state; only {@link BackendState#RUNNING} makes the addresses usable
 * @param stateName      the state as tailscaled wrote it (or why it is unavailable)
 * @param addresses      this machine's Tailscale IPs, IPv4 and IPv6, in tailscaled's order
 * @param dnsName        MagicDNS name without the trailing dot, e.g. {@code laptop.tail1a2b3.ts.net}
 * @param tailnetName    e.g. {@code example.com} or {@code alice@example.com}
 * @param magicDnsSuffix e.g. {@code tail1a2b3.ts.net}
 * @param certDomains    names {@code cert} will issue for; empty = HTTPS certificates are off for this tailnet
 * @param loginName      the logged-in user, when tailscaled says (1.100+ always, older only with peers)
 * @param displayName    that user's display name
 * @param hostName       the OS host name (not a DNS name)
 * @param version        tailscaled's version
 * @param health         human-readable warnings, for display only
 * @param authUrl        login URL while an interactive login is pending
 * @param ignoredAddresses addresses the answer listed that are not Tailscale addresses, left out of
 *                       {@code addresses} by {@link #within} (reported, never listened on)
 * @param selfNodeId     this node's StableID ({@code Self.ID}): a whois answer with the same
 *                       {@link Identity#nodeStableId()} is a connection from this machine itself
 */
public record TailscaleStatus(BackendState state, String stateName, List<InetAddress> addresses, String dnsName,
        String tailnetName, String magicDnsSuffix, List<String> certDomains, String loginName, String displayName,
        String hostName, String version, List<String> health, String authUrl, List<InetAddress> ignoredAddresses,
        String selfNodeId) {

    public TailscaleStatus {
        Objects.requireNonNull(state, "state");
        stateName = Objects.requireNonNullElse(stateName, "");
        addresses = List.copyOf(addresses);
        dnsName = Objects.requireNonNullElse(dnsName, "");
        tailnetName = Objects.requireNonNullElse(tailnetName, "");
        magicDnsSuffix = Objects.requireNonNullElse(magicDnsSuffix, "");
        certDomains = List.copyOf(certDomains);
        loginName = Objects.requireNonNullElse(loginName, "");
        displayName = Objects.requireNonNullElse(displayName, "");
        hostName = Objects.requireNonNullElse(hostName, "");
        version = Objects.requireNonNullElse(version, "");
        health = List.copyOf(health);
        authUrl = Objects.requireNonNullElse(authUrl, "");
        ignoredAddresses = ignoredAddresses == null ? List.of() : List.copyOf(ignoredAddresses);
        selfNodeId = Objects.requireNonNullElse(selfNodeId, "");
    }

    /** As tailscaled said, without ignored addresses. */
    public TailscaleStatus(BackendState state, String stateName, List<InetAddress> addresses, String dnsName,
            String tailnetName, String magicDnsSuffix, List<String> certDomains, String loginName, String displayName,
            String hostName, String version, List<String> health, String authUrl) {
        this(state, stateName, addresses, dnsName, tailnetName, magicDnsSuffix, certDomains, loginName, displayName,
                hostName, version, health, authUrl, List.of(), "");
    }

    /**
     * This status with only the addresses inside {@code ranges}; the others move to
     * {@link #ignoredAddresses()}, so nothing downstream (listening, certificates) sees them.
     */
    public TailscaleStatus within(TailnetAddressRanges ranges) {
        List<InetAddress> kept = new ArrayList<>();
        List<InetAddress> ignored = new ArrayList<>(ignoredAddresses);
        for (InetAddress a : addresses) (ranges.contains(a) ? kept : ignored).add(a);
        if (ignored.size() == ignoredAddresses.size()) return this;
        return new TailscaleStatus(state, stateName, kept, dnsName, tailnetName, magicDnsSuffix, certDomains, loginName,
                displayName, hostName, version, health, authUrl, ignored, selfNodeId);
    }

    /** Whether {@code who} (a whois answer) is this machine's own node. */
    public boolean isThisMachine(Identity who) {
        if (!selfNodeId.isEmpty() && !who.nodeStableId().isEmpty()) return selfNodeId.equals(who.nodeStableId());
        return who.addresses().stream().anyMatch(a -> addresses.contains(a) || ignoredAddresses.contains(a));
    }

    /** tailscaled could not be asked; {@code reason} is the failure's message. */
    public static TailscaleStatus unavailable(String reason) {
        return new TailscaleStatus(BackendState.UNAVAILABLE, reason, List.of(), "", "", "", List.of(), "", "", "", "",
                List.of(reason), "");
    }

    public boolean running() {
        return state == BackendState.RUNNING;
    }

    public Optional<Inet4Address> ipv4() {
        return addresses.stream().filter(Inet4Address.class::isInstance).map(Inet4Address.class::cast).findFirst();
    }

    public Optional<Inet6Address> ipv6() {
        return addresses.stream().filter(Inet6Address.class::isInstance).map(Inet6Address.class::cast).findFirst();
    }

    /** Whether this tailnet hands out HTTPS certificates for this machine. */
    public boolean httpsCertificatesAvailable() {
        return !certDomains.isEmpty();
    }

    /**
     * One line for a status bar: "Running as alice@example.com on laptop.tail1a2b3.ts.net",
     * "Stopped", "NeedsLogin: log in at https://…", or the reason Tailscale is unavailable.
     */
    public String summary() {
        if (state == BackendState.UNAVAILABLE) return stateName;
        StringBuilder s = new StringBuilder(stateName.isEmpty() ? state.wireName() : stateName);
        if (running()) {
            if (!loginName.isEmpty()) s.append(" as ").append(loginName);
            String machine = !dnsName.isEmpty() ? dnsName : hostName;
            if (!machine.isEmpty()) s.append(" on ").append(machine);
        } else if (!authUrl.isEmpty()) {
            s.append(": log in at ").append(authUrl);
        }
        return s.toString();
    }

    /** Reads an {@code ipnstate.Status}. Only a non-object body is refused; every field is optional. */
    static TailscaleStatus parse(String json) throws MalformedAnswerException {
        JsonObject root = Json.parseObject(json, "status");
        JsonObject self = Json.object(root, "Self");
        JsonObject tailnet = Json.object(root, "CurrentTailnet");
        List<String> ips = Json.strings(root, "TailscaleIPs");
        if (ips.isEmpty()) ips = Json.strings(self, "TailscaleIPs");
        JsonObject user = Json.object(Json.object(root, "User"), Json.numberText(self, "UserID"));
        String suffix = Json.string(tailnet, "MagicDNSSuffix");
        String stateName = Json.string(root, "BackendState");
        return new TailscaleStatus(BackendState.fromWire(stateName), stateName,
                ips.stream().flatMap(ip -> PeerAddresses.parseLiteral(ip).stream()).toList(),
                withoutTrailingDot(Json.string(self, "DNSName")),
                Json.string(tailnet, "Name"),
                suffix.isEmpty() ? Json.string(root, "MagicDNSSuffix") : suffix,
                Json.strings(root, "CertDomains").stream().map(TailscaleStatus::withoutTrailingDot).toList(),
                Json.string(user, "LoginName"),
                Json.string(user, "DisplayName"),
                Json.string(self, "HostName"),
                Json.string(root, "Version"),
                Json.strings(root, "Health"),
                Json.string(root, "AuthURL"),
                List.of(),
                Json.string(self, "ID"));
    }

    static String withoutTrailingDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
