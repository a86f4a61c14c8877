package dev.verifull.cli;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.verifull.check.CertificateExpiry;
import dev.verifull.check.UpstreamTestResult;
import dev.verifull.check.UpstreamTester;
import dev.verifull.manager.EngineSpec;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.text.Printable;

/**
 * {@code serve --check}: "Test upstream" once, for scripts and container start-up probes. The
 * result and the chain go to stdout (each certificate's subject, issuer and end date, escaped:
 * the server chose them), the diagnosis to stderr; exit 0 when verified, 1 when not.
 */
final class ServeCheck {
    private ServeCheck() {}

    static int run(EngineSpec spec, PrintWriter out, PrintWriter err) {
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "verifull-check");
            t.setDaemon(true);
            return t;
        });
        try {
            UpstreamTestResult r = UpstreamTester.test(spec.upstreamProfile(), executor).get();
            print(r, out, err);
            return r.ok() ? 0 : Cli.EXIT_FAILURE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.EXIT_FAILURE;
        } catch (ExecutionException e) {
            err.println("verifull: the check failed: " + e.getCause());
            return Cli.EXIT_FAILURE;
        } finally {
            executor.shutdownNow();
            out.flush();
            err.flush();
        }
    }

    static void print(UpstreamTestResult r, PrintWriter out, PrintWriter err) {
        String where = Printable.escape(r.endpoint()) + " (name " + Printable.escape(r.verifiedName()) + ")";
        if (r.ok()) {
            out.println("verifull: upstream " + where + " verified: " + r.tlsVersion() + ", " + r.cipherSuite()
                    + (r.alpn() != null ? ", ALPN " + r.alpn() : "") + ", trust " + Printable.escape(r.trust())
                    + ", in " + r.elapsedMillis() + " ms");
        } else {
            out.println("verifull: upstream " + where + " NOT verified: " + Printable.escape(r.diagnosis().sentence()));
        }
        Instant now = Instant.now();
        int i = 0;
        for (CertificateSummary c : r.chain()) {
            out.println("  certificate " + i++ + ": subject " + Printable.escape(c.subject()));
            out.println("    issuer " + Printable.escape(c.issuer()));
            out.println("    valid until " + c.notAfter() + " (" + days(c.notAfter(), now) + ")");
        }
        if (r.trustAnchor() != null && (r.chain().isEmpty() || !r.chain().get(r.chain().size() - 1).sha256Fingerprint()
                .equals(r.trustAnchor().sha256Fingerprint()))) {
            out.println("  trusted CA: " + Printable.escape(r.trustAnchor().subject()) + ", valid until "
                    + r.trustAnchor().notAfter() + " (" + days(r.trustAnchor().notAfter(), now) + ")");
        }
        CertificateExpiry leaf = CertificateExpiry.ofUpstream(r);
        if (leaf != null && leaf.warrantsWarning(now)) out.println("verifull: warning: " + Printable.escape(leaf.warning(now)));
        if (!r.ok()) {
            if (!r.diagnosis().detail().isBlank()) err.println("verifull: detail: " + Printable.escape(r.diagnosis().detail()));
            if (!r.diagnosis().hint().isBlank()) err.println("verifull: hint: " + Printable.escape(r.diagnosis().hint()));
        }
    }

    private static String days(Instant notAfter, Instant now) {
        long d = java.time.Duration.between(now, notAfter).toDays();
        return d < 0 ? "expired " + -d + " days ago" : d + " days left";
    }
}
