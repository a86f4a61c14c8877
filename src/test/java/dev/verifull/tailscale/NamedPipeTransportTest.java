package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The named-pipe code path (blocking streams framed by Netty's codec) off Windows: the "pipe" is
 * a blocking Unix-socket stream to the fake.
 */
class NamedPipeTransportTest {
    @TempDir
    Path dir;

    private static NamedPipeTransport.Opener streamsTo(Path socket) {
        return () -> {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            InputStream in = Channels.newInputStream(ch);
            OutputStream out = Channels.newOutputStream(ch);
            return new NamedPipeTransport.Connection() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public OutputStream out() {
                    return out;
                }

                @Override
                public void close() throws java.io.IOException {
                    ch.close();
                }
            };
        };
    }

    @Test
    void exchangesHttpOverBlockingStreams() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir); LocalApiThreads threads = new LocalApiThreads()) {
            NamedPipeTransport pipe = new NamedPipeTransport(new LocalApiEndpoint.NamedPipe(LocalApiDiscovery.WINDOWS_PIPE),
                    streamsTo(fake.socketPath()), threads);
            LocalApiResponse r = pipe.send(new LocalApiCall.WhoIs("127.0.0.3:1"), Duration.ofSeconds(2)).get(5, TimeUnit.SECONDS);
            assertEquals(200, r.status());
            assertEquals("alice@example.com", Identity.parseWhoIs(r.text()).loginName());
            assertEquals("local-tailscaled.sock", fake.requests().get(0).header("Host"));
        }
    }

    @Test
    void timeoutClosesTheStuckPipe() throws Exception {
        try (FakeLocalApi fake = FakeLocalApi.startUnix(dir); LocalApiThreads threads = new LocalApiThreads()) {
            NamedPipeTransport pipe = new NamedPipeTransport(new LocalApiEndpoint.NamedPipe(LocalApiDiscovery.WINDOWS_PIPE),
                    streamsTo(fake.socketPath()), threads);
            Throwable e = pipe.send(new LocalApiCall.WhoIs(FakeLocalApi.SLOW_IP), Duration.ofMillis(300))
                    .handle((r, t) -> t).get(5, TimeUnit.SECONDS);
            assertInstanceOf(LocalApiTimeoutException.class, LocalApiException.from(e));
            assertTrue(e.getMessage().contains("at \\\\.\\pipe\\ProtectedPrefix\\Administrators\\Tailscale\\tailscaled"),
                    e.getMessage());
        }
    }

    @Test
    void missingPipeIsUnreachable() throws Exception {
        try (LocalApiThreads threads = new LocalApiThreads()) {
            NamedPipeTransport pipe = new NamedPipeTransport(new LocalApiEndpoint.NamedPipe(LocalApiDiscovery.WINDOWS_PIPE),
                    () -> {
                        throw new FileNotFoundException(LocalApiDiscovery.WINDOWS_PIPE + " (The system cannot find the file specified)");
                    }, threads);
            Throwable e = pipe.send(new LocalApiCall.Status(), Duration.ofSeconds(1)).handle((r, t) -> t).get(5, TimeUnit.SECONDS);
            LocalApiException failure = LocalApiException.from(e);
            assertInstanceOf(TailscaleUnreachableException.class, failure);
            assertEquals("Tailscale is not reachable at " + LocalApiDiscovery.WINDOWS_PIPE
                    + " (no such pipe; is the Tailscale service running?)", failure.getMessage());
        }
    }

    @Test
    void chunkedAnswersAreReassembled() throws Exception {
        String chunked = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\n{\"Bac\r\n16\r\nkendState\": \"Running\"}\r\n0\r\n\r\n";
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        LocalApiResponse r = BlockingHttpExchange.exchange(
                new java.io.ByteArrayInputStream(chunked.getBytes(StandardCharsets.US_ASCII)), sent,
                LocalApiRequests.get(new LocalApiCall.Status(), null));
        assertEquals("{\"BackendState\": \"Running\"}", r.text());
        assertTrue(sent.toString(StandardCharsets.US_ASCII).startsWith("GET /localapi/v0/status?peers=false HTTP/1.1\r\n"));
    }
}
