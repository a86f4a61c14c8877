package dev.verifull.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The names the engine's refusals and "Test upstream" both show for the upstream. */
class UpstreamTargetTest {

    @Test
    void anIpv6AddressIsBracketedOnceInTheEndpoint() {
        assertEquals("db.example.com:5432", UpstreamTarget.endpoint("db.example.com", 5432));
        assertEquals("[::1]:5432", UpstreamTarget.endpoint("::1", 5432));
        assertEquals("[::1]:5432", UpstreamTarget.endpoint("[::1]", 5432), "a profile may hold the host in brackets");
    }

    @Test
    void theServerNameIsVerifiedWhenSetElseTheHost() {
        assertEquals("db.internal", UpstreamTarget.verifiedName("10.0.0.5", "db.internal"));
        assertEquals("10.0.0.5", UpstreamTarget.verifiedName("10.0.0.5", " "));
        assertEquals("10.0.0.5", UpstreamTarget.verifiedName("10.0.0.5", null));
    }
}
