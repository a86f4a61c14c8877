package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalApiClientTest {
    @TempDir
    Path dir;
    FakeLocalApi fake;
    LocalApiClient client;

    @BeforeEach
    void start() {
        fake = FakeLocalApi.startUnix(dir);
        client = fake.client(Duration.ofMillis(800));
    }

    @AfterEach
    void stop() {
        client.close();
        fake.close();
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** The LocalApiException a future failed with. */
    static LocalApiException failure(CompletableFuture<?> f) {
        try {
            f.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return LocalApiException.from(e);
        }
        return fail("expected a failure, got " + f.join());
    }

    static InetSocketAddress peer(String ip) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(ip), 51820);
    }

    @Test
    void userOwnedNode() throws Exception {
        Identity alice = await(client.whois(peer(FakeLocalApi.ALICE_IP)));
        assertEquals("alice@example.com", alice.loginName());
        assertEquals("Alice Example", alice.displayName());
        assertEquals(FakeLocalApi.ALICE_MACHINE, alice.machine());
        assertEquals("macOS", alice.os());
        assertFalse(alice.tagged());
        assertFalse(alice.externalDevice());
        assertEquals("alice@example.com", alice.user());
        assertTrue(alice.nodeStableId().endsWith("CNTRL"));
        assertEquals(List.of(InetAddress.getByName(FakeLocalApi.ALICE_IP)), alice.addresses());
        assertEquals(List.of("{\"profiles\":[\"alpha\"]}", "{\"profiles\":[\"beta\"]}"),
                alice.capability(FakeLocalApi.ALICE_CAPABILITY));
        assertTrue(alice.capability("example.com/cap/other").isEmpty());
    }

    @Test
    void taggedNodeActsAsItsTags() throws Exception {
        Identity ci = await(client.whois(peer(FakeLocalApi.TAGGED_IP)));
        assertEquals(Identity.TAGGED_DEVICES, ci.loginName());
        assertEquals(List.of("tag:ci"), ci.tags());
        assertTrue(ci.tagged());
        assertEquals("tag:ci", ci.user());
        assertEquals(FakeLocalApi.TAGGED_MACHINE, ci.machine());
        assertEquals("linux", ci.os());
        assertTrue(ci.capabilities().isEmpty());
    }

    @Test
    void sharedInNodeIsAnExternalDevice() throws Exception {
        Identity bob = await(client.whois(peer(FakeLocalApi.SHARED_IP)));
        assertEquals("bob@gmail.com", bob.loginName());
        assertEquals(Identity.EXTERNAL_DEVICE, bob.machine());
        assertEquals(FakeLocalApi.SHARED_MACHINE, bob.nodeName());
        assertTrue(bob.externalDevice());
    }

    @Test
    void unknownAddressIsNotATailnetPeer() throws Exception {
        fake.whois("100.101.5.9", FakeLocalApi.Answer.error(404, "no match for IP:port"));
        LocalApiException e = failure(client.whois(peer("100.101.5.9")));
        assertInstanceOf(NotATailnetPeerException.class, e);
        assertEquals("100.101.5.9 is not a known tailnet peer", e.getMessage());
    }

    @Test
    void notFoundForLoopbackIsRetriedBecauseUserspaceNetworkingRegistersLate() throws Exception {
        LocalApiException e = failure(client.whois(peer("127.0.0.99")));
        assertInstanceOf(NotATailnetPeerException.class, e);
        assertEquals(3, fake.requests("/localapi/v0/whois").size());
    }

    @Test
    void accessDenied() throws Exception {
        LocalApiException e = failure(client.whois(peer(FakeLocalApi.DENIED_IP)));
        LocalApiAccessDeniedException denied = assertInstanceOf(LocalApiAccessDeniedException.class, e);
        assertEquals(403, denied.status());
        assertEquals("tailscaled answered 403 to the whois request: whois access denied", e.getMessage());
    }

    @Test
    void malformedJson() throws Exception {
        LocalApiException e = failure(client.whois(peer(FakeLocalApi.MALFORMED_IP)));
        assertInstanceOf(MalformedAnswerException.class, e);
        assertTrue(e.getMessage().startsWith("tailscaled's whois answer could not be read: not JSON"), e.getMessage());
    }

    @Test
    void answerWithoutUserIsMalformed() throws Exception {
        fake.whois("100.64.0.1", FakeLocalApi.Answer.json("{\"Node\": {\"Name\": \"x.ts.net.\"}, \"UserProfile\": {}}"));
        LocalApiException e = failure(client.whois(peer("100.64.0.1")));
        assertEquals("tailscaled's whois answer could not be read: it names no user and no tags", e.getMessage());
    }

    @Test
    void slowAnswerTimesOut() throws Exception {
        long started = System.nanoTime();
        LocalApiException e = failure(client.whois(peer(FakeLocalApi.SLOW_IP)));
        assertInstanceOf(LocalApiTimeoutException.class, e);
        assertEquals("tailscaled did not answer the whois request within 0.8 s (at " + fake.socketPath() + ")", e.getMessage());
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(5));
    }

    @Test
    void noSocketIsUnreachable() throws Exception {
        Path missing = dir.resolve("nowhere/tailscaled.sock");
        try (LocalApiClient lost = LocalApiClient.forUnixSocket(missing)) {
            LocalApiException e = failure(lost.whois(peer(FakeLocalApi.ALICE_IP)));
            assertInstanceOf(TailscaleUnreachableException.class, e);
            assertEquals("Tailscale is not reachable at " + missing + " (no such socket)", e.getMessage());
        }
    }

    @Test
    void stoppedDaemonIsUnreachable() throws Exception {
        Path socket = fake.socketPath();
        fake.close();
        java.nio.file.Files.createFile(socket); // a leftover file: exists, but nobody listens
        try (LocalApiClient lost = LocalApiClient.forUnixSocket(socket)) {
            LocalApiException e = failure(lost.status());
            assertInstanceOf(TailscaleUnreachableException.class, e);
            assertEquals("Tailscale is not reachable at " + socket + " (connection refused)", e.getMessage());
        }
    }

    @Test
    void ipv4MappedIpv6IsUnmapped() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 3};
        InetAddress v6 = java.net.Inet6Address.getByAddress(null, mapped, -1);
        assertInstanceOf(java.net.Inet6Address.class, v6);
        Identity alice = await(client.whois(new InetSocketAddress(v6, 40000)));
        assertEquals("alice@example.com", alice.loginName());
        assertEquals("127.0.0.3:40000", fake.requests("/localapi/v0/whois").get(0).query("addr"));
    }

    @Test
    void unresolvedMappedLiteralIsUnmappedToo() throws Exception {
        await(client.whois(InetSocketAddress.createUnresolved("::ffff:127.0.0.4", 40001)));
        assertEquals("127.0.0.4:40001", fake.requests("/localapi/v0/whois").get(0).query("addr"));
    }

    @Test
    void ipv6PeersAreBracketedAndZoneless() throws Exception {
        fake.whois("fd7a:115c:a1e0::9c01:4d42", FakeLocalApi.Answer.json(FakeLocalApi.userNode("fd7a:115c:a1e0::9c01:4d42",
                "carol@example.com", "Carol", "carol.tail1a2b3.ts.net", "linux", java.util.Map.of())));
        Identity carol = await(client.whois(new InetSocketAddress(InetAddress.getByName("fd7a:115c:a1e0::9c01:4d42"), 443)));
        assertEquals("carol@example.com", carol.loginName());
        String addr = fake.requests("/localapi/v0/whois").get(0).query("addr");
        assertTrue(addr.startsWith("[fd7a:115c:a1e0:") && addr.endsWith("]:443"), addr);
        assertTrue(fake.requests("/localapi/v0/whois").get(0).uri().contains("addr=%5B"), "URL-encoded");
    }

    @Test
    void requestsCarryTheLocalApiHostAndNoOriginOrReferer() throws Exception {
        await(client.status());
        FakeLocalApi.Request r = fake.requests().get(0);
        assertEquals("local-tailscaled.sock", r.header("Host"));
        assertNull(r.header("Origin"));
        assertNull(r.header("Referer"));
        assertNull(r.header("Authorization"), "no token on a Unix socket");
        assertEquals("/localapi/v0/status?peers=false", r.uri());
    }

    @Test
    void runningStatus() throws Exception {
        fake.selfAddresses("127.0.0.2", "fd7a:115c:a1e0::1b01:6667");
        TailscaleStatus s = await(client.status());
        assertEquals(BackendState.RUNNING, s.state());
        assertTrue(s.running());
        assertEquals(InetAddress.getByName("127.0.0.2"), s.ipv4().orElseThrow());
        assertEquals(InetAddress.getByName("fd7a:115c:a1e0::1b01:6667"), s.ipv6().orElseThrow());
        assertEquals(FakeLocalApi.SELF_DNS_NAME, s.dnsName());
        assertEquals("example.com", s.tailnetName());
        assertEquals("tail1a2b3.ts.net", s.magicDnsSuffix());
        assertEquals(List.of(FakeLocalApi.SELF_DNS_NAME), s.certDomains());
        assertTrue(s.httpsCertificatesAvailable());
        assertEquals("alice@example.com", s.loginName());
        assertEquals("Alice Example", s.displayName());
        assertEquals("Running as alice@example.com on " + FakeLocalApi.SELF_DNS_NAME, s.summary());
    }

    @Test
    void loggedOutStatus() throws Exception {
        fake.state("NeedsLogin");
        TailscaleStatus s = await(client.status());
        assertEquals(BackendState.NEEDS_LOGIN, s.state());
        assertTrue(s.addresses().isEmpty());
        assertEquals("", s.dnsName());
        assertFalse(s.httpsCertificatesAvailable());
        assertEquals("NeedsLogin: log in at https://login.tailscale.com/a/fake", s.summary());
    }

    @Test
    void statusFromTheReferenceExampleParses() throws Exception {
        String logged = """
                {"BackendState": "Stopped", "TailscaleIPs": ["100.101.102.103", "fd7a:115c:a1e0::1b01:6667"],
                 "Self": {"DNSName": "build-box.tail1a2b3.ts.net.", "UserID": 2345678, "HostName": "build-box",
                          "Unknown": {"nested": [1, 2]}},
                 "CurrentTailnet": null, "MagicDNSSuffix": "tail1a2b3.ts.net", "CertDomains": null,
                 "User": {"2345678": {"ID": 2345678, "LoginName": "alice@example.com"}},
                 "Health": ["Tailscale is stopped."], "NewFieldFromTheFuture": true}""";
        fake.statusAnswer(FakeLocalApi.Answer.json(logged));
        TailscaleStatus s = await(client.status());
        assertEquals(BackendState.STOPPED, s.state());
        assertEquals("build-box.tail1a2b3.ts.net", s.dnsName());
        assertEquals("tail1a2b3.ts.net", s.magicDnsSuffix());
        assertEquals("alice@example.com", s.loginName());
        assertEquals(List.of("Tailscale is stopped."), s.health());
        assertEquals("Stopped", s.summary());
    }

    @Test
    void unknownStateIsKeptByName() throws Exception {
        fake.state("SomethingNew");
        TailscaleStatus s = await(client.status());
        assertEquals(BackendState.UNKNOWN, s.state());
        assertEquals("SomethingNew", s.stateName());
    }

    @Test
    void statusThatIsNotAnObjectIsMalformed() throws Exception {
        fake.statusAnswer(FakeLocalApi.Answer.json("[1,2]"));
        LocalApiException e = failure(client.status());
        assertEquals("tailscaled's status answer could not be read: expected a JSON object, got an array", e.getMessage());
    }

    @Test
    void jsonErrorBodiesAreUnderstoodToo() throws Exception {
        fake.statusAnswer(new FakeLocalApi.Answer(500, "application/json", "{\"Error\": \"no netmap available\"}", Duration.ZERO));
        LocalApiException e = failure(client.status());
        assertEquals("tailscaled answered 500 to the status request: no netmap available", e.getMessage());
    }

    @Test
    void futuresNeverCompleteOnTheCallersOrIoThread() throws Exception {
        String thread = client.whois(peer(FakeLocalApi.ALICE_IP))
                .thenApply(i -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
        assertTrue(thread.startsWith("verifull-tailscale-") && !thread.contains("-io"), thread);
        String failedOn = client.whois(peer(FakeLocalApi.DENIED_IP))
                .handle((i, e) -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
        assertTrue(failedOn.startsWith("verifull-tailscale-") && !failedOn.contains("-io"), failedOn);
    }

    @Test
    void aClosedClientFailsAtOnce() throws Exception {
        client.close();
        LocalApiException e = failure(client.status());
        assertInstanceOf(TailscaleUnreachableException.class, e);
        assertEquals("the Tailscale client has been closed", e.getMessage());
    }

    @Test
    void hostNamesAreNeverResolved() throws Exception {
        LocalApiException e = failure(client.whois(InetSocketAddress.createUnresolved("laptop.example", 5432)));
        assertInstanceOf(NotATailnetPeerException.class, e);
        assertTrue(fake.requests().isEmpty());
    }
}
