package dev.verifull.tailnet;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.verifull.tailscale.CertificateCache;
import dev.verifull.tailscale.LocalApiClient;
import dev.verifull.tailscale.LocalApiSettings;
import dev.verifull.tailscale.StatusWatcher;
import dev.verifull.tailscale.TailnetAddressRanges;
import dev.verifull.tailscale.TailscaleStatus;
import dev.verifull.tailscale.WhoIsCache;

/**
 * This process's link to tailscaled, shared by all its engines: one LocalAPI client, one status
 * watcher (started by the first {@link TailnetBinding}) and one whois cache.
 */
public final class TailscaleServices implements AutoCloseable {
    private final LocalApiClient client;
    private final StatusWatcher watcher;
    private final WhoIsCache whois;

    public TailscaleServices(LocalApiClient client) {
        this(client, TailnetAddressRanges.TAILSCALE);
    }

    /** @param ranges where this machine's usable Tailscale addresses come from (more than Tailscale's in tests) */
    public TailscaleServices(LocalApiClient client, TailnetAddressRanges ranges) {
        this.client = Objects.requireNonNull(client, "client");
        this.watcher = new StatusWatcher(client, ranges);
        this.whois = new WhoIsCache(client);
    }

    /** Finds tailscaled like the {@code tailscale} CLI does, or uses the socket in {@code settings}; connects lazily. */
    public static TailscaleServices discover(LocalApiSettings settings) {
        return new TailscaleServices(LocalApiClient.discover(settings), TailnetAddressRanges.forThisProcess());
    }

    public LocalApiClient client() {
        return client;
    }

    public StatusWatcher watcher() {
        return watcher;
    }

    public WhoIsCache whois() {
        return whois;
    }

    /**
     * This machine as tailscaled sees it, to recognise connections from this machine itself: the
     * watcher's latest status when it has one, else a fresh answer (and the watcher is started, so
     * the next connection need not ask).
     */
    public CompletableFuture<TailscaleStatus> thisMachine() {
        Optional<TailscaleStatus> known = watcher.current().filter(TailscaleStatus::running);
        if (known.isPresent()) return CompletableFuture.completedFuture(known.get());
        watcher.start();
        return client.status();
    }

    /** A renewing cache of the Tailscale certificate for {@code domain}. */
    public CertificateCache certificates(String domain) {
        return new CertificateCache(client, domain);
    }

    @Override
    public void close() {
        watcher.close();
        client.close();
    }
}
