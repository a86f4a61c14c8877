package dev.verifull.tailscale;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** Address handling for whois: IP literals only (never DNS), IPv4-mapped IPv6 unmapped. */
final class PeerAddresses {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+(%[^\\s]*)?");

    private PeerAddresses() {}

    /** An IP literal as an address; empty for anything else (host names are not resolved). */
    static Optional<InetAddress> parseLiteral(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        boolean literal = IPV4.matcher(s).matches() || (s.contains(":") && IPV6_CHARS.matcher(s).matches());
        if (!literal) return Optional.empty();
        try {
            return Optional.of(unmap(InetAddress.getByName(s)));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code ::ffff:a.b.c.d} as the IPv4 address it stands for: a dual-stack listener reports
     * IPv4 peers that way, and tailscaled before 1.102 only knows the plain IPv4 form.
     */
    static InetAddress unmap(InetAddress address) {
        if (!(address instanceof Inet6Address)) return address;
        byte[] b = address.getAddress();
        for (int i = 0; i < 10; i++) if (b[i] != 0) return address;
        if ((b[10] & 0xff) != 0xff || (b[11] & 0xff) != 0xff) return address;
        try {
            return InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** The peer's IP, unmapped; fails for an unresolved address that is not an IP literal. */
    static InetAddress ipOf(InetSocketAddress peer) {
        InetAddress a = peer.getAddress();
        if (a == null) {
            a = parseLiteral(peer.getHostString())
                    .orElseThrow(() -> new IllegalArgumentException("not an IP address: " + peer.getHostString()));
        }
        return unmap(a);
    }

    /** Text of an IP without a zone ({@code %eth0}): a zone would defeat tailscaled's map lookup. */
    static String text(InetAddress address) {
        String s = address.getHostAddress();
        int zone = s.indexOf('%');
        return zone < 0 ? s : s.substring(0, zone);
    }

    /** {@code 100.1.2.3:5678} or {@code [fd7a:...]:5678}; the bare IP when there is no port. */
    static String whoisArgument(InetSocketAddress peer) {
        InetAddress ip = ipOf(peer);
        String host = text(ip);
        if (peer.getPort() == 0) return host;
        return (ip instanceof Inet4Address ? host : "[" + host + "]") + ":" + peer.getPort();
    }
}
