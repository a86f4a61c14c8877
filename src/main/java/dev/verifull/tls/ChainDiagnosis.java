package dev.verifull.tls;

import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXCertPathBuilderResult;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import dev.verifull.tls.UpstreamDiagnosis.Kind;

/**
 * Works out why the JDK trust manager rejected a server chain. Only runs after a rejection, so it
 * may repeat work: it re-checks the chain without the host name, then at a date when every
 * certificate is valid, to tell name, time and trust problems apart. Its hints say what the chain
 * was checked against.
 */
final class ChainDiagnosis {
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final TrustAnchors trust;
    private final Set<TrustAnchor> anchors = new HashSet<>();

    ChainDiagnosis(TrustAnchors trust) {
        this.trust = trust;
        for (X509Certificate c : trust.certificates()) anchors.add(new TrustAnchor(c, null));
    }

    UpstreamDiagnosis explain(X509Certificate[] chain, String authType, String expectedHost, CertificateException rejection) {
        if (chain == null || chain.length == 0) {
            return diagnosis(Kind.UNTRUSTED, "The server sent no certificate.", technical(rejection), null);
        }
        X509Certificate leaf = chain[0];
        CertificateSummary leafSummary = CertificateSummary.of(leaf);
        if (trustedIgnoringName(chain, authType)) {
            if (expectedHost != null && !HostNames.matches(leaf, expectedHost)) {
                return hostnameMismatch(leaf, leafSummary, expectedHost);
            }
            return diagnosis(Kind.UNTRUSTED,
                    "The server's certificate chains to a trusted CA but was rejected: " + rejection.getMessage(),
                    describe("Server certificate", leafSummary), null);
        }

        Instant now = Instant.now();
        // PKIX ignores the dates of a trust anchor, so an anchor sent along in the chain is not the problem
        X509Certificate expired = firstMatching(chain, c -> !isAnchor(c) && now.isAfter(c.getNotAfter().toInstant()));
        X509Certificate early = firstMatching(chain, c -> !isAnchor(c) && now.isBefore(c.getNotBefore().toInstant()));
        boolean trustedAtSomeTime = (expired != null || early != null) && trustedAtSomeTime(chain);
        if (expired != null && trustedAtSomeTime) {
            return outOfDate(Kind.EXPIRED, expired, "Expired certificate", now,
                    who(expired, leaf) + " expired on " + date(expired.getNotAfter()) + ".",
                    "the server needs a renewed certificate (or this computer's clock is wrong).");
        }
        if (early != null && trustedAtSomeTime) {
            return outOfDate(Kind.NOT_YET_VALID, early, "Certificate", now,
                    who(early, leaf) + " is not valid before " + date(early.getNotBefore()) + ".",
                    "check the clocks of this computer and of the machine that issued the certificate.");
        }

        String timeNote = expired != null ? "\nAlso: " + who(expired, leaf) + " expired on " + date(expired.getNotAfter())
                : early != null ? "\nAlso: " + who(early, leaf) + " is not valid before " + date(early.getNotBefore()) : "";
        if (chainsToAnchor(chain, new Date())) {
            return diagnosis(Kind.UNTRUSTED,
                    "The server's certificate chains to a trusted CA but was rejected: " + rejection.getMessage(),
                    describe("Server certificate", leafSummary) + timeNote, null);
        }
        if (isSelfSigned(leaf)) return selfSigned(leafSummary, timeNote);
        return untrusted(chain, timeNote);
    }

    private UpstreamDiagnosis hostnameMismatch(X509Certificate leaf, CertificateSummary s, String expected) {
        boolean onlyCn = s.dnsNames().isEmpty() && s.ipAddresses().isEmpty();
        String message = "The server's certificate is not valid for the name \"" + expected + "\": "
                + (onlyCn ? "it has no subject alternative names." : "it is issued for " + s.names() + ".");
        String hint = onlyCn
                ? "the certificate has no subject alternative names (only \"" + HostNames.commonName(leaf)
                    + "\" in its subject, which TLS no longer uses for host names); reissue it with a SAN for "
                    + expected + "."
                : "connect using one of the certificate's names, or set the profile's server name "
                    + "(used for verification) to one of them.";
        return diagnosis(Kind.HOSTNAME_MISMATCH, message,
                describe("Server certificate", s) + "\nExpected name: " + expected, hint);
    }

    /** A certificate of a chain that would be trusted at another time: which one, its dates and now. */
    private UpstreamDiagnosis outOfDate(Kind kind, X509Certificate cert, String label, Instant now, String sentence, String hint) {
        return diagnosis(kind, capitalize(sentence),
                describe(label, CertificateSummary.of(cert)) + "\nNow: " + DATE.format(now), hint);
    }

    private UpstreamDiagnosis selfSigned(CertificateSummary s, String timeNote) {
        return diagnosis(Kind.SELF_SIGNED,
                "The server presented a self-signed certificate (" + s.subject() + ") that is not in "
                        + trust.description() + ".",
                describe("Server certificate", s) + timeNote,
                "if this really is your server (compare the fingerprint), add its certificate "
                        + "as a CA file, or give the server a certificate signed by your CA.");
    }

    private UpstreamDiagnosis untrusted(X509Certificate[] chain, String timeNote) {
        X509Certificate top = chain[chain.length - 1];
        String issuer = CertificateSummary.of(top).issuer();
        StringBuilder detail = new StringBuilder("Chain sent by the server:");
        for (X509Certificate c : chain) {
            CertificateSummary s = CertificateSummary.of(c);
            detail.append("\n  ").append(s.subject()).append("  (issued by ").append(s.issuer()).append(')');
        }
        CertificateSummary leaf = CertificateSummary.of(chain[0]);
        detail.append("\nServer certificate names: ").append(leaf.names())
                .append("\nSHA-256 fingerprint: ").append(leaf.sha256Fingerprint())
                .append(timeNote);
        return diagnosis(Kind.UNTRUSTED,
                "The server's certificate was issued by \"" + issuer + "\", which is not a CA in "
                        + trust.description() + ".",
                detail.toString(),
                "add the CA certificate of \"" + issuer
                        + "\" to the profile's CA files (the server's root certificate, e.g. PostgreSQL's root.crt).");
    }

    private UpstreamDiagnosis diagnosis(Kind kind, String explanation, String detail, String hint) {
        return certificateProblem(kind, explanation, detail, hint, trust.description());
    }

    /**
     * A rejected certificate: the kind's name, then the sentence that explains it. A hint is told
     * what the chain was checked against; without one, the kind's usual advice is given.
     */
    static UpstreamDiagnosis certificateProblem(Kind kind, String explanation, String detail, String hint, String trust) {
        String what = switch (kind) {
            case UNTRUSTED -> "certificate not trusted";
            case SELF_SIGNED -> "self-signed certificate not trusted";
            case HOSTNAME_MISMATCH -> "certificate name mismatch"; // the sentence names both sides
            case EXPIRED -> "certificate expired";
            case NOT_YET_VALID -> "certificate not yet valid";
            default -> throw new IllegalArgumentException("not a certificate problem: " + kind);
        };
        // the trust source is named once, and only where it matters: a sentence that names it needs no
        // repeat, and a name mismatch is about the name (the chain was trusted)
        boolean nameTrust = !explanation.contains(trust) && kind != Kind.HOSTNAME_MISMATCH;
        String advice = hint != null ? (nameTrust ? hint + " (verified against " + trust + ")" : hint) : switch (kind) {
            case UNTRUSTED, SELF_SIGNED -> "Verifull checked the certificate against " + trust
                    + ". Add the CA that issued the server's certificate (for a cloud database: the provider's CA bundle).";
            case HOSTNAME_MISMATCH -> "Connect to a name the certificate lists, or set the server name (--upstream-server-name) to one of them.";
            default -> "Check the server's certificate dates and this machine's clock.";
        };
        return new UpstreamDiagnosis(kind, what + ": " + explanation, withoutBlankLines(detail), advice);
    }

    /** Details are lines of facts; an empty line (e.g. in an exception's message) carries none. */
    static String withoutBlankLines(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n")) {
            if (!line.isBlank()) out.append(out.length() > 0 ? "\n" : "").append(line);
        }
        return out.toString();
    }

    private boolean trustedIgnoringName(X509Certificate[] chain, String authType) {
        try {
            trust.pkix().checkServerTrusted(chain, authType); // this variant does no host name check
            return true;
        } catch (CertificateException | RuntimeException e) {
            return false;
        }
    }

    /** Whether a path from the leaf to one of the anchors exists, checking validity at {@code date}. */
    private boolean chainsToAnchor(X509Certificate[] chain, Date date) {
        return anchorAt(chain, date) != null;
    }

    /** The trusted certificate a chain leads to now (the leaf itself when it is pinned), or null. */
    X509Certificate anchorOf(X509Certificate[] chain) {
        return chain == null || chain.length == 0 ? null : anchorAt(chain, new Date());
    }

    private X509Certificate anchorAt(X509Certificate[] chain, Date date) {
        if (isAnchor(chain[0])) return chain[0]; // the leaf itself is pinned
        if (anchors.isEmpty()) return null;
        try {
            X509CertSelector target = new X509CertSelector();
            target.setCertificate(chain[0]);
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, target);
            params.setRevocationEnabled(false);
            params.setDate(date);
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(Arrays.asList(chain))));
            return ((PKIXCertPathBuilderResult) CertPathBuilder.getInstance("PKIX").build(params)).getTrustAnchor().getTrustedCert();
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Whether the chain leads to an anchor at some moment: a date when all its certificates are
     * valid, else the start or end of one of them (validity windows of renewed CAs may not overlap).
     */
    private boolean trustedAtSomeTime(X509Certificate[] chain) {
        List<Date> candidates = new ArrayList<>();
        Date latestStart = chain[0].getNotBefore();
        for (X509Certificate c : chain) {
            if (isAnchor(c)) continue; // an anchor's own dates do not matter to PKIX
            if (c.getNotBefore().after(latestStart)) latestStart = c.getNotBefore();
            candidates.add(c.getNotBefore());
            candidates.add(new Date(c.getNotAfter().getTime() - 1000));
        }
        candidates.add(0, latestStart);
        for (Date when : candidates) {
            if (chainsToAnchor(chain, when)) return true;
        }
        return false;
    }

    private boolean isAnchor(X509Certificate c) {
        return trust.certificates().contains(c);
    }

    private static boolean isSelfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) return false;
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static X509Certificate firstMatching(X509Certificate[] chain, Predicate<X509Certificate> p) {
        for (X509Certificate c : chain) if (p.test(c)) return c;
        return null;
    }

    private static String who(X509Certificate cert, X509Certificate leaf) {
        String subject = CertificateSummary.of(cert).subject();
        return cert.equals(leaf) ? "the server's certificate (" + subject + ")"
                : "the CA certificate \"" + subject + "\" in the server's chain";
    }

    static String describe(String label, CertificateSummary s) {
        return label + ": " + s.subject()
                + "\nIssued by: " + s.issuer()
                + "\nNames: " + s.names()
                + "\nValid: " + DATE.format(s.notBefore()) + " to " + DATE.format(s.notAfter())
                + "\nSHA-256 fingerprint: " + s.sha256Fingerprint();
    }

    private static String date(Date d) {
        return DATE.format(d.toInstant());
    }

    private static String technical(Throwable t) {
        return t == null ? "" : "Technical detail: " + t;
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
