package dev.verifull.tailnet;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.verifull.tailscale.CertPair;
import dev.verifull.tailscale.CertificateCache;
import dev.verifull.tailscale.LocalApiException;
import dev.verifull.tailscale.TailscaleStatus;
import dev.verifull.tls.ClientTls;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.ReplaceableSslContext;
import dev.verifull.tls.ServerIdentity;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.TlsProvider;
import io.netty.handler.ssl.SslContext;

/**
 * The certificate clients of a tailnet engine see. When the tailnet issues HTTPS certificates,
 * Tailscale's own for this machine's MagicDNS name (publicly trusted, so clients can use
 * {@code sslmode=verify-full sslrootcert=system} against {@code host.tailnet.ts.net}); otherwise,
 * or while that certificate cannot be had (e.g. no operator rights), a local-CA leaf for the
 * Tailscale addresses and the MagicDNS name. Replaced in place, under the running listener,
 * whenever that changes or Tailscale renews its certificate.
 *
 * <p>{@link #update} may wait a few seconds for tailscaled: call it off event loops.
 */
public final class TailnetCertificates {
    /** How long a first fetch may hold up binding before the local CA's certificate is used instead. */
    static final Duration FIRST_FETCH_WAIT = Duration.ofSeconds(3);
    /** A local-CA leaf is valid for a year; issue a new one well before that. */
    private static final Duration LOCAL_LEAF_MARGIN = Duration.ofDays(30);

    private final LocalCa localCa;
    private final Function<String, CertificateCache> tailscaleCertificates;
    private final TlsProvider provider;
    private final List<String> extraNames;
    private final Consumer<String> notes;
    private final ReplaceableSslContext context;

    // All guarded by this.
    private CertificateCache cache;
    private String lastFailure;
    private String description;
    private List<Object> localLeafFor;
    private Instant localLeafExpires;

    /**
     * @param tailscaleCertificates a cache per MagicDNS name; null to always use the local CA
     * @param notes                 told when the Tailscale certificate cannot be used, and why
     */
    public TailnetCertificates(LocalCa localCa, Function<String, CertificateCache> tailscaleCertificates,
            TlsProvider provider, List<String> extraNames, Consumer<String> notes) throws TlsConfigException {
        this.localCa = Objects.requireNonNull(localCa, "localCa");
        this.tailscaleCertificates = tailscaleCertificates;
        this.provider = Objects.requireNonNull(provider, "provider");
        this.extraNames = List.copyOf(extraNames);
        this.notes = Objects.requireNonNull(notes, "notes");
        // Something to start the engine with; replaced once Tailscale says who this machine is.
        this.context = new ReplaceableSslContext(localLeaf(List.of(), ""));
        this.description = "the local CA " + localCa.certificateFile();
    }

    /** The context to put in the engine's configuration. */
    public SslContext context() {
        return context;
    }

    /** What clients get now, e.g. "the Tailscale certificate for host.tail1a2b3.ts.net". */
    public synchronized String description() {
        return description;
    }

    /** Brings the certificate in line with {@code status}; does nothing while Tailscale is not Running. */
    public void update(TailscaleStatus status) {
        if (!status.running() || status.addresses().isEmpty()) return;
        CompletableFuture<CertPair> fetch = null;
        synchronized (this) {
            if (tailscaleCertificates != null && status.httpsCertificatesAvailable()) {
                String domain = status.certDomains().get(0);
                if (cache == null || !cache.domain().equals(domain)) {
                    CertificateCache fresh = tailscaleCertificates.apply(domain);
                    fresh.addListener(pair -> renewed(fresh, pair)); // late first answers and renewals
                    cache = fresh;
                    lastFailure = null;
                }
                fetch = cache.get(); // renews in the background when due
            } else {
                cache = null;
            }
        }
        if (fetch != null && useTailscale(fetch)) return;
        useLocalCa(status);
    }

    private boolean useTailscale(CompletableFuture<CertPair> fetch) {
        try {
            CertPair pair = fetch.get(FIRST_FETCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return install(pair);
        } catch (TimeoutException slow) {
            noteOnce("waiting for tailscaled to issue the Tailscale certificate; clients get the local CA's until then");
        } catch (ExecutionException e) {
            noteOnce("the Tailscale certificate is not available (" + LocalApiException.from(e).getMessage()
                    + "); clients get the local CA's certificate");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    private void renewed(CertificateCache source, CertPair pair) {
        synchronized (this) {
            if (source != cache) return; // the name changed meanwhile
        }
        install(pair);
    }

    private synchronized boolean install(CertPair pair) {
        try {
            context.replace(ClientTls.serverContext(new ServerIdentity(pair.leaf(), pair.chain(), pair.privateKey()), provider));
        } catch (TlsConfigException e) {
            noteOnce("the Tailscale certificate cannot be used (" + e.getMessage() + "); clients get the local CA's certificate");
            return false;
        }
        description = "the Tailscale certificate for " + pair.domain();
        localLeafFor = null;
        lastFailure = null;
        return true;
    }

    private synchronized void useLocalCa(TailscaleStatus status) {
        List<Object> wanted = List.of(status.addresses(), status.dnsName());
        boolean expiring = localLeafExpires != null && Instant.now().plus(LOCAL_LEAF_MARGIN).isAfter(localLeafExpires);
        if (wanted.equals(localLeafFor) && !expiring) return;
        try {
            context.replace(localLeaf(status.addresses(), status.dnsName()));
            localLeafFor = wanted;
            description = "the local CA " + localCa.certificateFile();
        } catch (TlsConfigException e) {
            notes.accept("cannot set up the client certificate: " + e.getMessage());
        }
    }

    private SslContext localLeaf(List<InetAddress> addresses, String dnsName) throws TlsConfigException {
        List<InetSocketAddress> listen = new ArrayList<>();
        for (InetAddress a : addresses) listen.add(new InetSocketAddress(a, 0));
        List<String> names = new ArrayList<>(extraNames);
        if (!dnsName.isEmpty()) names.add(0, dnsName);
        ClientCertificateNames n = ClientCertificateNames.forListen(listen, names);
        ServerIdentity leaf = localCa.issueServerCertificate(n.dnsNames(), n.addresses());
        localLeafExpires = leaf.certificate().getNotAfter().toInstant();
        return ClientTls.serverContext(leaf, provider);
    }

    private synchronized void noteOnce(String text) {
        if (text.equals(lastFailure)) return;
        lastFailure = text;
        notes.accept(text);
    }
}
