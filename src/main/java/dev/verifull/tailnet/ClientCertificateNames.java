package dev.verifull.tailnet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The names and addresses the client-facing certificate must carry so clients can use
 * {@code sslmode=verify-full} against the address they were given.
 */
public final class ClientCertificateNames {
    private final Set<String> dnsNames = new LinkedHashSet<>();
    private final Set<InetAddress> addresses = new LinkedHashSet<>();

    public static ClientCertificateNames forListen(List<InetSocketAddress> listen, List<String> extraNames) {
        ClientCertificateNames n = new ClientCertificateNames();
        n.dnsNames.add("localhost");
        for (String extra : extraNames) if (extra != null && !extra.isBlank()) n.dnsNames.add(extra);
        for (InetSocketAddress a : listen) {
            InetAddress ip = a.getAddress();
            if (ip == null) {
                n.dnsNames.add(a.getHostString());
            } else if (ip.isAnyLocalAddress()) {
                n.addAllLocal();
            } else {
                n.addresses.add(ip);
                if (!a.getHostString().equals(ip.getHostAddress())) n.dnsNames.add(a.getHostString());
            }
        }
        n.addresses.add(InetAddress.getLoopbackAddress());
        return n;
    }

    private void addAllLocal() {
        try {
            dnsNames.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException ignored) {
            // No host name: clients use an address instead.
        }
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress ip : Collections.list(ni.getInetAddresses())) {
                    if (!ip.isLinkLocalAddress()) addresses.add(stripScope(ip));
                }
            }
        } catch (SocketException ignored) {
            // Interfaces unreadable: loopback and the host name still work.
        }
    }

    private static InetAddress stripScope(InetAddress ip) {
        try {
            return InetAddress.getByAddress(ip.getAddress());
        } catch (UnknownHostException e) {
            return ip;
        }
    }

    public Set<String> dnsNames() {
        return Collections.unmodifiableSet(dnsNames);
    }

    public Set<InetAddress> addresses() {
        return Collections.unmodifiableSet(addresses);
    }
}
