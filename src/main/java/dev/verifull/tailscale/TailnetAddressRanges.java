package dev.verifull.tailscale;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The address ranges a Tailscale address comes from: {@code 100.64.0.0/10} and
 * {@code fd7a:115c:a1e0::/48} ({@code CGNATRange} and {@code TailscaleULARange} in tailscale's
 * net/tsaddr/tsaddr.go). Verifull listens only on status addresses inside them, whatever the
 * status answer says: it must never be talked into {@code 0.0.0.0} or a LAN address.
 */
public final class TailnetAddressRanges {
    /**
     * A system property with more prefixes (comma-separated CIDR), read by {@link #forThisProcess()}:
     * for test set-ups whose stand-in tailscaled reports loopback addresses. Whoever can set it
     * already starts the process.
     */
    public static final String EXTRA_PROPERTY = "verifull.tailnet.extraAddressRanges";
    public static final TailnetAddressRanges TAILSCALE = new TailnetAddressRanges(List.of(
            Prefix.parse("100.64.0.0/10"), Prefix.parse("fd7a:115c:a1e0::/48")));

    private final List<Prefix> prefixes;

    private TailnetAddressRanges(List<Prefix> prefixes) {
        this.prefixes = List.copyOf(prefixes);
    }

    /** Tailscale's ranges, plus those of {@link #EXTRA_PROPERTY} when it is set. */
    public static TailnetAddressRanges forThisProcess() {
        String extra = System.getProperty(EXTRA_PROPERTY, "").strip();
        return extra.isEmpty() ? TAILSCALE : TAILSCALE.plus(extra.split("\\s*,\\s*"));
    }

    /** These ranges and {@code cidrs} (e.g. {@code 127.0.0.0/8}). */
    public TailnetAddressRanges plus(String... cidrs) {
        List<Prefix> all = new ArrayList<>(prefixes);
        for (String cidr : cidrs) all.add(Prefix.parse(cidr));
        return new TailnetAddressRanges(all);
    }

    public boolean contains(InetAddress address) {
        byte[] bytes = address.getAddress();
        return prefixes.stream().anyMatch(p -> p.contains(bytes));
    }

    /** "100.64.0.0/10, fd7a:115c:a1e0::/48". */
    @Override
    public String toString() {
        return String.join(", ", prefixes.stream().map(Prefix::text).toList());
    }

    private record Prefix(byte[] network, int length, String text) {
        static Prefix parse(String cidr) {
            int slash = cidr.indexOf('/');
            if (slash < 0) throw new IllegalArgumentException("not a CIDR prefix: " + cidr);
            InetAddress network = PeerAddresses.parseLiteral(cidr.substring(0, slash))
                    .orElseThrow(() -> new IllegalArgumentException("not an IP address: " + cidr));
            int length = Integer.parseInt(cidr.substring(slash + 1));
            byte[] bytes = network.getAddress();
            if (length < 0 || length > bytes.length * 8) throw new IllegalArgumentException("bad prefix length: " + cidr);
            return new Prefix(bytes, length, Objects.requireNonNull(cidr));
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) return false;
            for (int bit = 0; bit < length; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((address[bit / 8] & mask) != (network[bit / 8] & mask)) return false;
            }
            return true;
        }
    }
}
