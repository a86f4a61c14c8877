package dev.verifull.tailscale;

import static dev.verifull.tailscale.LocalApiClientTest.await;
import static dev.verifull.tailscale.LocalApiClientTest.failure;
import static dev.verifull.tailscale.LocalApiClientTest.peer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.testing.TestPki;

/** The CLI fallback, against a fake {@code tailscale} shell script. */
class CliFallbackTest {
    @TempDir
    Path dir;
    Path script;
    TestPki.Issued leaf;

    @BeforeEach
    void writeFakeCli() throws IOException {
        Files.writeString(dir.resolve("status.json"), """
                {
                  "Version": "1.102.3",
                  "BackendState": "Running",
                  "TailscaleIPs": ["100.101.102.103", "fd7a:115c:a1e0::1b01:6667"],
                  "Self": {"DNSName": "build-box.tail1a2b3.ts.net.", "UserID": 7, "HostName": "build-box"},
                  "CurrentTailnet": {"Name": "example.com", "MagicDNSSuffix": "tail1a2b3.ts.net", "MagicDNSEnabled": true},
                  "CertDomains": ["build-box.tail1a2b3.ts.net"],
                  "User": {"7": {"ID": 7, "LoginName": "alice@example.com", "DisplayName": "Alice"}}
                }
                """);
        Files.writeString(dir.resolve("alice.json"), FakeLocalApi.userNode("100.88.77.66", "alice@example.com",
                "Alice Example", "alices-macbook.tail1a2b3.ts.net", "macOS", Map.of()).replace("\t", "  "));
        TestPki.Issued ca = TestPki.rootCa("Fake ACME");
        leaf = TestPki.server(ca, "build-box.tail1a2b3.ts.net");
        leaf.writeCertificate(dir.resolve("cert.pem"), true);
        // `tailscale cert --key-file` writes the same SEC1 PEM as the LocalAPI's pair
        String pair = FakeLocalApi.pairPem(leaf.key(), List.of(leaf.certificate()));
        Files.writeString(dir.resolve("key.pem"), pair.substring(0, pair.indexOf("-----BEGIN CERTIFICATE")));
        script = script("tailscale", """
                #!/bin/sh
                D='%s'
                echo "$@" >> "$D/calls.log"
                case "$1" in --socket=*) shift ;; esac
                echo 'Warning: client version "1.100.0" != tailscaled server version "1.102.3"' >&2
                case "$1" in
                  status) cat "$D/status.json" ;;
                  whois)
                    case "$3" in
                      100.88.77.66|100.88.77.66:*) cat "$D/alice.json" ;;
                      100.64.0.9:*) echo "Access denied: whois access denied" >&2; exit 1 ;;
                      100.64.0.10:*) echo '{"Node":' ;;
                      100.64.0.11:*) sleep 5 ;;
                      *) echo "peer not found" >&2; exit 1 ;;
                    esac ;;
                  cert) cp "$D/cert.pem" "$3"; cp "$D/key.pem" "$5"; echo "Wrote public cert to $3" >&2 ;;
                  *) echo "unknown command $1" >&2; exit 1 ;;
                esac
                """.formatted(dir));
    }

    private Path script(String name, String text) throws IOException {
        Path p = Files.createDirectories(dir.resolve("bin")).resolve(name);
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private LocalApiClient cli(Path executable, Path socket) {
        return LocalApiClient.forEndpoint(new LocalApiEndpoint.Cli(executable, socket),
                LocalApiSettings.defaults().withRequestTimeout(Duration.ofSeconds(2)));
    }

    @Test
    void statusComesFromStatusJson() throws Exception {
        try (LocalApiClient client = cli(script, null)) {
            TailscaleStatus s = await(client.status());
            assertEquals("Running as alice@example.com on build-box.tail1a2b3.ts.net", s.summary());
            assertEquals(2, s.addresses().size());
            assertEquals("status --json --peers=false", Files.readString(dir.resolve("calls.log")).strip());
        }
    }

    @Test
    void whoisComesFromWhoisJson() throws Exception {
        try (LocalApiClient client = cli(script, null)) {
            Identity alice = await(client.whois(peer("100.88.77.66")));
            assertEquals("alice@example.com", alice.loginName());
            assertEquals("alices-macbook.tail1a2b3.ts.net", alice.machine());
            assertEquals("whois --json 100.88.77.66:51820", Files.readString(dir.resolve("calls.log")).strip());
        }
    }

    @Test
    void cliErrorsMapToTheSameExceptions() throws Exception {
        try (LocalApiClient client = cli(script, null)) {
            LocalApiException notFound = failure(client.whois(peer("100.64.0.8")));
            assertInstanceOf(NotATailnetPeerException.class, notFound);
            assertEquals("100.64.0.8 is not a known tailnet peer", notFound.getMessage());
            LocalApiException denied = failure(client.whois(peer("100.64.0.9")));
            assertInstanceOf(LocalApiAccessDeniedException.class, denied);
            assertEquals("tailscaled answered 403 to the whois request: Access denied: whois access denied", denied.getMessage());
            assertInstanceOf(MalformedAnswerException.class, failure(client.whois(peer("100.64.0.10"))));
            LocalApiException slow = failure(client.whois(peer("100.64.0.11")));
            assertInstanceOf(LocalApiTimeoutException.class, slow);
            assertEquals("tailscaled did not answer the whois request within 2 s (through the tailscale command " + script + ")",
                    slow.getMessage());
        }
    }

    @Test
    void daemonDownIsUnreachable() throws Exception {
        Path down = script("tailscale-down", """
                #!/bin/sh
                echo "failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?)" >&2
                exit 1
                """);
        try (LocalApiClient client = cli(down, null)) {
            LocalApiException e = failure(client.status());
            assertInstanceOf(TailscaleUnreachableException.class, e);
            assertEquals("Tailscale is not reachable through the tailscale command " + down
                    + " (failed to connect to local tailscaled; it doesn't appear to be running (sudo systemctl start tailscaled ?))",
                    e.getMessage());
        }
    }

    @Test
    void missingCommandIsUnreachable() throws Exception {
        Path missing = dir.resolve("nope/tailscale");
        try (LocalApiClient client = cli(missing, null)) {
            LocalApiException e = failure(client.status());
            assertInstanceOf(TailscaleUnreachableException.class, e);
            assertTrue(e.getMessage().startsWith("Tailscale is not reachable through the tailscale command " + missing
                    + " (it could not be run: "), e.getMessage());
        }
    }

    @Test
    void configuredSocketIsPassedOn() throws Exception {
        try (LocalApiClient client = cli(script, Path.of("/srv/ts.sock"))) {
            await(client.status());
            assertEquals("--socket=/srv/ts.sock status --json --peers=false", Files.readString(dir.resolve("calls.log")).strip());
        }
    }

    @Test
    void certIsReadBackFromTheFilesTheCliWrites() throws Exception {
        try (LocalApiClient client = cli(script, null)) {
            CertPair pair = await(client.cert("build-box.tail1a2b3.ts.net."));
            assertEquals(leaf.certificate(), pair.leaf());
            assertEquals(2, pair.chain().size());
            assertEquals("EC", pair.privateKey().getAlgorithm());
            String call = Files.readString(dir.resolve("calls.log")).strip();
            assertTrue(call.startsWith("cert --cert-file ") && call.endsWith(" build-box.tail1a2b3.ts.net"), call);
        }
    }

    @Test
    void discoveryFallsBackToTheCliWhenThereIsNoSocket() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        LocalApiDiscovery discovery = new LocalApiDiscovery(LocalApiDiscovery.Os.LINUX, root,
                Map.of("PATH", script.getParent().toString()), "alice", (c, t) -> {
                    throw new IOException("no lsof on Linux");
                }, LocalApiSettings.defaults());
        try (LocalApiClient client = LocalApiClient.withDiscovery(discovery, LocalApiSettings.defaults(), CommandRunner.processes())) {
            assertEquals(BackendState.RUNNING, await(client.status()).state());
            assertEquals(new LocalApiEndpoint.Cli(script), client.endpoint());
            assertEquals(List.of("status --json --peers=false"), Files.readAllLines(dir.resolve("calls.log")));
        }
    }
}
