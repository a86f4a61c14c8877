package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

class TailnetAddressRangesTest {
    private static boolean tailscale(String ip) throws Exception {
        return TailnetAddressRanges.TAILSCALE.contains(InetAddress.getByName(ip));
    }

    @Test
    void theCgnatRangeAndTheTailscaleUla() throws Exception {
        assertTrue(tailscale("100.64.0.0"));
        assertTrue(tailscale("100.101.102.103"));
        assertTrue(tailscale("100.127.255.255"));
        assertTrue(tailscale("fd7a:115c:a1e0::1"));
        assertTrue(tailscale("fd7a:115c:a1e0:ffff:ffff:ffff:ffff:ffff"));
        assertTrue(tailscale("::ffff:100.64.0.7"), "IPv4-mapped is the IPv4 address");
    }

    @Test
    void nothingElse() throws Exception {
        for (String ip : new String[] {"0.0.0.0", "::", "127.0.0.1", "::1", "192.168.1.5", "10.0.0.1", "100.63.255.255",
                "100.128.0.0", "8.8.8.8", "fd7a:115c:a1e1::1", "fd7a:115c:a0e0::1", "fe80::1"}) {
            assertFalse(tailscale(ip), ip);
        }
    }

    @Test
    void moreRangesForTestsAndTheirText() throws Exception {
        TailnetAddressRanges wider = TailnetAddressRanges.TAILSCALE.plus("127.0.0.0/8");
        assertTrue(wider.contains(InetAddress.getByName("127.0.0.2")));
        assertFalse(wider.contains(InetAddress.getByName("128.0.0.1")));
        assertEquals("100.64.0.0/10, fd7a:115c:a1e0::/48", TailnetAddressRanges.TAILSCALE.toString());
        assertThrows(IllegalArgumentException.class, () -> TailnetAddressRanges.TAILSCALE.plus("localhost/8"));
        assertThrows(IllegalArgumentException.class, () -> TailnetAddressRanges.TAILSCALE.plus("10.0.0.0/33"));
    }
}
