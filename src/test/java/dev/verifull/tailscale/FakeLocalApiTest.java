package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fake enforces what tailscaled enforces, so tests against it mean something. */
class FakeLocalApiTest {
    @TempDir
    Path dir;

    @Test
    void rejectsOtherHostHeaders() throws IOException {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir)) {
            String answer = raw(fake.socketPath(), "GET /localapi/v0/status HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
            assertTrue(answer.endsWith("invalid localapi request\n"), answer);
        }
    }

    @Test
    void rejectsOriginAndReferer() throws IOException {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir)) {
            String origin = raw(fake.socketPath(), "GET /localapi/v0/status HTTP/1.1\r\nHost: local-tailscaled.sock\r\n"
                    + "Origin: http://evil.example\r\nConnection: close\r\n\r\n");
            assertTrue(origin.startsWith("HTTP/1.1 403"), origin);
            String referer = raw(fake.socketPath(), "GET /localapi/v0/status HTTP/1.1\r\nHost: local-tailscaled.sock\r\n"
                    + "Referer: http://evil.example/\r\nConnection: close\r\n\r\n");
            assertTrue(referer.startsWith("HTTP/1.1 403"), referer);
        }
    }

    @Test
    void answersWellFormedRequests() throws IOException {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir)) {
            String answer = raw(fake.socketPath(), "GET /localapi/v0/status?peers=false HTTP/1.1\r\n"
                    + "Host: local-tailscaled.sock\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
            assertTrue(answer.contains("\t\"BackendState\": \"Running\""), "tab-indented like tailscaled: " + answer);
            assertEquals(1, fake.requests("/localapi/v0/status").size());
        }
    }

    @Test
    void tcpModeWantsTheToken() throws IOException {
        try (FakeLocalApi fake = FakeLocalApi.startTcp("secret")) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", fake.port())) {
                s.getOutputStream().write(("GET /localapi/v0/status HTTP/1.1\r\nHost: 127.0.0.1:" + fake.port()
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
                assertTrue(answer.endsWith("auth required\n"), answer);
            }
        }
    }

    private static String raw(Path socket, String request) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
            return new String(java.nio.channels.Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
