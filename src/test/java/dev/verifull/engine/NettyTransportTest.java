package dev.verifull.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import io.netty.channel.uring.IoUring;

class NettyTransportTest {

    @Test
    @EnabledOnOs(OS.LINUX)
    void linuxRelaysWithIoUringByDefault() {
        // The nio test execution (pom) sets the property for the whole JVM.
        assumeTrue(System.getProperty(NettyTransport.PROPERTY) == null, "transport chosen by the test run");
        // Fails on a kernel without io_uring; the CI machine has it (Linux 6.x), and the fallback is tested below.
        assertEquals(true, IoUring.isAvailable(), () -> "io_uring unavailable: " + IoUring.unavailabilityCause());
        try (NettyTransport t = NettyTransport.create(1)) {
            assertEquals("io_uring", t.description());
            assertEquals(1, t.eventLoops());
        }
    }

    @Test
    void busyPollingKeepsTheTransport() {
        try (NettyTransport plain = NettyTransport.create(1); NettyTransport polling = NettyTransport.create(1, 50)) {
            assertEquals(plain.description(), polling.description(), "polling wraps io_uring and NIO alike");
        }
    }

    @Test
    void thePropertyPicksNio() {
        String before = System.getProperty(NettyTransport.PROPERTY);
        System.setProperty(NettyTransport.PROPERTY, "nio");
        try (NettyTransport t = NettyTransport.create(2)) {
            assertEquals("nio", t.description());
            assertEquals(2, t.eventLoops());
        } finally {
            if (before == null) System.clearProperty(NettyTransport.PROPERTY);
            else System.setProperty(NettyTransport.PROPERTY, before);
        }
    }
}
