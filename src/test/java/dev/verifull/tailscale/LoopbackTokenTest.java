package dev.verifull.tailscale;

import static dev.verifull.tailscale.LocalApiClientTest.await;
import static dev.verifull.tailscale.LocalApiClientTest.failure;
import static dev.verifull.tailscale.LocalApiClientTest.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/** The macOS GUI apps' transport: 127.0.0.1:PORT, the same-user-proof token as Basic-auth password. */
class LoopbackTokenTest {
    static final String TOKEN = "0123456789abcdef0123";

    @Test
    void tokenIsSentAsBasicAuthPasswordWithEmptyUser() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startTcp(TOKEN); LocalApiClient client = fake.client()) {
            assertEquals("alice@example.com", await(client.whois(peer(FakeLocalApi.ALICE_IP))).loginName());
            FakeLocalApi.Request r = fake.requests().get(0);
            String expected = "Basic " + Base64.getEncoder().encodeToString((":" + TOKEN).getBytes(StandardCharsets.UTF_8));
            assertEquals(expected, r.header("Authorization"));
            assertEquals("local-tailscaled.sock", r.header("Host"));
            assertNull(r.header("Origin"));
            assertNull(r.header("Referer"));
        }
    }

    @Test
    void wrongTokenIsRefusedWithAReadableMessage() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startTcp(TOKEN);
             LocalApiClient client = LocalApiClient.forEndpoint(
                     new LocalApiEndpoint.LoopbackPort(fake.port(), "not-the-token", "the Tailscale app"),
                     LocalApiSettings.defaults())) {
            LocalApiException e = failure(client.status());
            assertInstanceOf(LocalApiAccessDeniedException.class, e);
            assertEquals("tailscaled answered 403 to the status request: bad password", e.getMessage());
        }
    }

    @Test
    void closedPortIsUnreachable() throws Exception {
        int port;
        try (FakeLocalApi fake = FakeLocalApi.startTcp(TOKEN)) {
            port = fake.port();
        }
        try (LocalApiClient client = LocalApiClient.forEndpoint(
                new LocalApiEndpoint.LoopbackPort(port, TOKEN, "the standalone Tailscale app"), LocalApiSettings.defaults())) {
            LocalApiException e = failure(client.status());
            assertInstanceOf(TailscaleUnreachableException.class, e);
            assertEquals("Tailscale is not reachable at 127.0.0.1:" + port + " (the standalone Tailscale app) (connection refused)",
                    e.getMessage());
        }
    }

    @Test
    void tokenStaysOutOfToString() {
        assertEquals("LoopbackPort[port=5, token=***, app=x]", new LocalApiEndpoint.LoopbackPort(5, TOKEN, "x").toString());
    }
}
