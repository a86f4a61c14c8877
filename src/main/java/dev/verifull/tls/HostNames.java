package dev.verifull.tls;

import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.Locale;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

import io.netty.util.NetUtil;

/**
 * Host name helpers. {@link #matches} is libpq's rule, enforced after the JDK trust manager's own
 * check ({@link DiagnosingTrustManager}) and used to explain a mismatch: a wildcard only as the
 * whole left-most label, matching exactly one label ({@code *.example.com}, never
 * {@code f*.example.com}); the subject CN only when the certificate has no DNS SAN; an IP
 * address only against IP SANs.
 */
final class HostNames {
    private HostNames() {}

    /** An IPv4 or IPv6 literal, parsed without any name lookup. */
    static boolean isIpLiteral(String host) {
        String h = unbracket(host);
        return NetUtil.isValidIpV4Address(h) || NetUtil.isValidIpV6Address(h);
    }

    /** The host as an SNI name: no trailing dot, {@code null} for IP literals and empty names. */
    static String sniName(String host) {
        if (host == null || host.isEmpty() || isIpLiteral(host)) return null;
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        return h.isEmpty() ? null : h;
    }

    static boolean matches(X509Certificate certificate, String host) {
        CertificateSummary summary = CertificateSummary.of(certificate);
        if (isIpLiteral(host)) {
            InetAddress expected = NetUtil.createInetAddressFromIpAddressString(unbracket(host));
            for (String ip : summary.ipAddresses()) {
                if (isIpLiteral(ip) && expected.equals(NetUtil.createInetAddressFromIpAddressString(unbracket(ip)))) {
                    return true;
                }
            }
            return false;
        }
        String name = normalize(host);
        if (summary.dnsNames().isEmpty()) {
            String cn = commonName(certificate);
            return cn != null && dnsMatches(normalize(cn), name);
        }
        for (String dns : summary.dnsNames()) {
            if (dnsMatches(normalize(dns), name)) return true;
        }
        return false;
    }

    /** The most specific CN of the subject, or {@code null}. */
    static String commonName(X509Certificate certificate) {
        try {
            LdapName dn = new LdapName(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253));
            String cn = null;
            for (Rdn rdn : dn.getRdns()) { // LdapName lists the most significant RDN first
                if ("CN".equalsIgnoreCase(rdn.getType())) cn = String.valueOf(rdn.getValue());
            }
            return cn;
        } catch (InvalidNameException e) {
            return null;
        }
    }

    // Anything else with a '*' in it is compared literally, so it matches no real name.
    private static boolean dnsMatches(String pattern, String name) {
        if (!pattern.startsWith("*.")) return pattern.equals(name);
        int dot = name.indexOf('.');
        return dot > 0 && name.substring(dot).equals(pattern.substring(1));
    }

    private static String normalize(String dns) {
        String n = dns.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    static String unbracket(String host) {
        return host != null && host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
