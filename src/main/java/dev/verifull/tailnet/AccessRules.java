package dev.verifull.tailnet;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.verifull.profile.Profile;
import dev.verifull.tailscale.Identity;

/**
 * Who may use one profile (engine), decided on the Tailscale identity of each connection. Any
 * matching rule allows:
 * <ul>
 *   <li>a user: the exact login name, or {@code *@domain} for everyone of a domain; never
 *       matches a tagged device (it acts as its tags, not as a user);</li>
 *   <li>a tag, e.g. {@code tag:ci} (the {@code tag:} prefix may be left out);</li>
 *   <li>an app capability from the tailnet policy file whose values name the profile (see
 *       {@link CapabilityProfiles}).</li>
 * </ul>
 * No rules at all: every identified tailnet peer may connect.
 *
 * <p>Connections from this machine itself (to its own Tailscale address) are a case apart, decided
 * by {@link TailscaleAdmission}: Tailscale names every local user as the machine's owner, so the
 * rules above cannot tell them apart; they get in only with {@code allowThisMachine}.
 */
public record AccessRules(List<String> users, List<String> tags, List<String> capabilities, boolean allowThisMachine) {
    public static final AccessRules ANY_PEER = new AccessRules(List.of(), List.of(), List.of());

    /** The outcome for one identity, worded for session records and audit lines. */
    public record Decision(boolean allowed, String text) {}

    public AccessRules {
        users = users.stream().map(AccessRules::checkUser).toList();
        tags = tags.stream().map(AccessRules::normalizeTag).toList();
        capabilities = capabilities.stream().map(AccessRules::checkCapability).toList();
    }

    /** Rules that keep connections from this machine out. */
    public AccessRules(List<String> users, List<String> tags, List<String> capabilities) {
        this(users, tags, capabilities, false);
    }

    /** A saved profile's rules (it has at most one capability name). */
    public static AccessRules forProfile(Profile p) {
        String capability = p.allowCapability();
        return new AccessRules(p.allowUsers(), p.allowTags(),
                capability == null || capability.isBlank() ? List.of() : List.of(capability), p.allowThisMachine());
    }

    public AccessRules withAllowThisMachine(boolean allow) {
        return new AccessRules(users, tags, capabilities, allow);
    }

    public boolean isEmpty() {
        return users.isEmpty() && tags.isEmpty() && capabilities.isEmpty();
    }

    public Decision decide(Identity who, String profile) {
        String subject = subject(who);
        if (isEmpty()) return new Decision(true, "allowed: " + subject + " (no access rules: any tailnet peer)");
        if (!who.tagged()) {
            for (String rule : users) {
                if (matchesUser(rule, who.loginName())) {
                    return new Decision(true, "allowed: " + subject + (rule.startsWith("*") ? " by rule " + rule : ""));
                }
            }
        }
        for (String tag : tags) {
            if (who.tags().stream().anyMatch(t -> t.equalsIgnoreCase(tag))) {
                return new Decision(true, "allowed: " + subject + " by rule " + tag);
            }
        }
        for (String capability : capabilities) {
            Set<String> granted = CapabilityProfiles.names(who.capability(capability));
            if (CapabilityProfiles.allows(granted, profile)) {
                return new Decision(true, "allowed: " + subject + " by capability " + capability
                        + " (profiles " + String.join(", ", granted) + ")");
            }
        }
        return new Decision(false, "denied: no rule matches " + subject + " for profile '" + profile + "'");
    }

    /** The rules in one line, for logs and the ready line (never for the client). */
    public String describe() {
        String thisMachine = allowThisMachine ? "; this machine" : "";
        if (isEmpty()) return "any tailnet peer" + thisMachine;
        List<String> parts = new ArrayList<>();
        if (!users.isEmpty()) parts.add("users " + String.join(", ", users));
        if (!tags.isEmpty()) parts.add("tags " + String.join(", ", tags));
        if (!capabilities.isEmpty()) parts.add("capability " + String.join(", ", capabilities));
        return String.join("; ", parts) + thisMachine;
    }

    /** "user alice@example.com", or "tags tag:ci,tag:server" for a tagged device. */
    static String subject(Identity who) {
        return who.tagged() ? "tags " + String.join(",", who.tags()) : "user " + who.loginName();
    }

    private static boolean matchesUser(String rule, String login) {
        if (login.isEmpty()) return false;
        String l = login.toLowerCase(Locale.ROOT);
        return rule.startsWith("*@") ? l.endsWith(rule.substring(1)) : l.equals(rule);
    }

    // Login names compare without case: Tailscale's are e-mail-like (alice@example.com, alice@github).
    private static String checkUser(String rule) {
        String r = rule.strip().toLowerCase(Locale.ROOT);
        int at = r.indexOf('@');
        boolean wildcard = r.startsWith("*@") && r.length() > 2 && r.indexOf('@', 2) < 0 && r.indexOf('*', 1) < 0;
        boolean exact = !r.contains("*") && at > 0 && at < r.length() - 1 && r.indexOf('@', at + 1) < 0;
        if (!wildcard && !exact) {
            throw new IllegalArgumentException("user rule '" + rule + "' is neither a login name (alice@example.com) nor *@domain");
        }
        return r;
    }

    private static String normalizeTag(String tag) {
        String t = tag.strip();
        if (!t.startsWith("tag:")) t = "tag:" + t;
        if (t.length() == 4 || t.contains(" ") || t.contains(",")) throw new IllegalArgumentException("tag rule '" + tag + "' is not a tag (tag:name)");
        return t;
    }

    private static String checkCapability(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.contains(" ")) throw new IllegalArgumentException("capability '" + name + "' is not a capability name (e.g. verifull.dev/cap/postgres)");
        return n;
    }
}
