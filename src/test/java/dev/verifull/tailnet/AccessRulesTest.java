package dev.verifull.tailnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.verifull.tailscale.Identity;
import org.junit.jupiter.api.Test;

class AccessRulesTest {
    private static final String CAP = "verifull.dev/cap/postgres";

    private static Identity user(String login, Map<String, List<String>> caps) {
        return new Identity(login, "Someone", 1, "laptop.tail1a2b3.ts.net", "laptop.tail1a2b3.ts.net", List.of(),
                "macOS", "nSTABLE", 2, List.of(), caps);
    }

    private static Identity tagged(String... tags) {
        return new Identity(Identity.TAGGED_DEVICES, "Tagged Devices", 3, "ci.tail1a2b3.ts.net", "ci.tail1a2b3.ts.net",
                List.of(tags), "linux", "nCI", 4, List.of(), Map.of());
    }

    private static AccessRules rules(List<String> users, List<String> tags, List<String> caps) {
        return new AccessRules(users, tags, caps);
    }

    @Test
    void noRulesAllowEveryIdentifiedPeer() {
        AccessRules.Decision d = AccessRules.ANY_PEER.decide(tagged("tag:ci"), "prod");
        assertTrue(d.allowed());
        assertEquals("allowed: tags tag:ci (no access rules: any tailnet peer)", d.text());
    }

    @Test
    void usersExactlyOrByDomain() {
        AccessRules exact = rules(List.of("Alice@Example.com"), List.of(), List.of());
        assertEquals(new AccessRules.Decision(true, "allowed: user alice@example.com"),
                exact.decide(user("alice@example.com", Map.of()), "prod"));
        assertEquals(new AccessRules.Decision(false, "denied: no rule matches user bob@example.com for profile 'prod'"),
                exact.decide(user("bob@example.com", Map.of()), "prod"));

        AccessRules domain = rules(List.of("*@example.com"), List.of(), List.of());
        assertEquals("allowed: user bob@example.com by rule *@example.com", domain.decide(user("bob@example.com", Map.of()), "p").text());
        assertFalse(domain.decide(user("bob@example.com.evil.net", Map.of()), "p").allowed());
        assertFalse(domain.decide(user("bob@notexample.com", Map.of()), "p").allowed());
    }

    @Test
    void aTaggedDeviceIsNeverAUser() {
        AccessRules r = rules(List.of("tagged-devices@x.y", "*@example.com"), List.of(), List.of());
        assertFalse(r.decide(tagged("tag:ci"), "p").allowed());
        assertEquals("denied: no rule matches tags tag:ci for profile 'p'", r.decide(tagged("tag:ci"), "p").text());
    }

    @Test
    void tagsWithOrWithoutPrefix() {
        AccessRules r = rules(List.of(), List.of("ci"), List.of());
        assertEquals(List.of("tag:ci"), r.tags());
        assertEquals("allowed: tags tag:ci,tag:server by rule tag:ci", r.decide(tagged("tag:ci", "tag:server"), "p").text());
        assertFalse(r.decide(tagged("tag:prod"), "p").allowed());
        assertFalse(r.decide(user("alice@example.com", Map.of()), "p").allowed());
    }

    @Test
    void capabilityValuesAreMerged() {
        Identity alice = user("alice@example.com", Map.of(CAP, List.of("{\"profiles\":[\"alpha\"]}", "{\"profiles\":[\"beta\"]}")));
        AccessRules r = rules(List.of(), List.of(), List.of(CAP));
        assertEquals("allowed: user alice@example.com by capability " + CAP + " (profiles alpha, beta)", r.decide(alice, "beta").text());
        assertTrue(r.decide(alice, "alpha").allowed());
        assertFalse(r.decide(alice, "gamma").allowed());
        assertFalse(r.decide(user("bob@example.com", Map.of()), "alpha").allowed(), "not granted at all");
    }

    @Test
    void capabilityValueShapes() {
        assertEquals(Set.of("a", "b", "c", "d"), CapabilityProfiles.names(List.of(
                "{\"profiles\":[\"a\"]}", "{\"profiles\":\"b\"}", "\"c\"", "[\"d\", 7]")));
        assertEquals(Set.of(), CapabilityProfiles.names(List.of("{\"role\":\"admin\"}", "42", "null", "{not json", "{\"profiles\":[1]}")));
        Identity wildcard = user("alice@example.com", Map.of(CAP, List.of("{\"profiles\":[\"*\"]}")));
        assertTrue(rules(List.of(), List.of(), List.of(CAP)).decide(wildcard, "anything").allowed());
        // Granted without values names no profile: fail closed.
        Identity empty = user("alice@example.com", Map.of(CAP, List.of()));
        assertFalse(rules(List.of(), List.of(), List.of(CAP)).decide(empty, "p").allowed());
    }

    @Test
    void badRulesAreRejected() {
        for (String bad : new String[] {"alice", "*", "*@", "a*@example.com", "@example.com", "alice@", "a@b@c"}) {
            assertThrows(IllegalArgumentException.class, () -> rules(List.of(bad), List.of(), List.of()), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> rules(List.of(), List.of("tag:"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> rules(List.of(), List.of(), List.of(" ")));
    }

    @Test
    void describe() {
        assertEquals("any tailnet peer", AccessRules.ANY_PEER.describe());
        assertEquals("users alice@example.com, *@corp.example; tags tag:ci; capability " + CAP,
                rules(List.of("alice@example.com", "*@corp.example"), List.of("tag:ci"), List.of(CAP)).describe());
    }
}
