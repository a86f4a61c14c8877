package dev.verifull.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

import org.junit.jupiter.api.Test;

class FreePortsTest {
    @Test
    void skipsPortsOfOtherProfilesAndPortsInUse() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = busy.getLocalPort();
            int free = FreePorts.firstFreeFrom(port, Set.of());
            assertTrue(free > port, "the port in use is skipped: " + free);
            int next = FreePorts.firstFreeFrom(port, Set.of(free));
            assertTrue(next > free, "a port another profile uses is skipped too: " + next);
        }
    }

    @Test
    void suggestsTheStartWhenItIsFree() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        assertEquals(port, FreePorts.firstFreeFrom(port, Set.of()));
    }

    @Test
    void aWildcardListenerBlocksTheLoopbackPortToo() throws Exception {
        try (ServerSocket wildcard = new ServerSocket()) {
            wildcard.setReuseAddress(false);
            wildcard.bind(new InetSocketAddress(0));
            int port = wildcard.getLocalPort();
            assertTrue(FreePorts.firstFreeFrom(port, Set.of()) != port);
        }
    }
}
