package dev.verifull.tailscale;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Asks tailscaled (its LocalAPI) about this machine and about peers. Every call returns at once
 * with a future that completes on one of the client's own threads (never the caller's event
 * loop), within the configured timeout, and fails only with a {@link LocalApiException}:
 * {@link TailscaleUnreachableException}, {@link LocalApiTimeoutException},
 * {@link NotATailnetPeerException}, {@link LocalApiAccessDeniedException},
 * {@link LocalApiHttpException}, {@link MalformedAnswerException}. Thread-safe; one per process
 * is plenty. Use {@link LocalApiException#from} to get the exception out of a failed future.
 */
public final class LocalApiClient implements AutoCloseable {
    /** A cert domain is a DNS name, or {@code *.name} where wildcards are enabled. */
    private static final Pattern DOMAIN = Pattern.compile("(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    /**
     * With userspace networking, tailscaled dials the local service from 127.0.0.1 and records
     * which peer it was for, racily (issue 1616): a 404 for a loopback peer is retried briefly.
     */
    private static final List<Duration> LOOPBACK_RETRIES = List.of(Duration.ofMillis(100), Duration.ofMillis(250));

    private final LocalApiThreads threads;
    private final LocalApiTransport transport;
    private final LocalApiSettings settings;
    private volatile boolean closed;

    private LocalApiClient(LocalApiThreads threads, LocalApiTransport transport, LocalApiSettings settings) {
        this.threads = threads;
        this.transport = transport;
        this.settings = settings;
    }

    /** Finds tailscaled the way the {@code tailscale} CLI does (or uses {@link LocalApiSettings#socket()}). */
    public static LocalApiClient discover(LocalApiSettings settings) {
        return withDiscovery(LocalApiDiscovery.forThisMachine(settings), settings, CommandRunner.processes());
    }

    /** Uses {@code discovery} for the endpoints and {@code runner} for the CLI fallback. */
    public static LocalApiClient withDiscovery(LocalApiDiscovery discovery, LocalApiSettings settings, CommandRunner runner) {
        LocalApiThreads threads = new LocalApiThreads();
        Supplier<List<LocalApiTransport>> transports = () -> {
            LocalApiDiscovery.Result found = discovery.discover();
            List<LocalApiTransport> list = new ArrayList<>();
            for (LocalApiEndpoint e : found.endpoints()) list.add(open(e, threads, runner));
            if (!found.notes().isEmpty()) list.add(new NoteTransport(String.join("; ", found.notes())));
            return list;
        };
        return new LocalApiClient(threads, new FailoverTransport(transports, threads.blocking()), settings);
    }

    /** Talks to exactly this endpoint (a configured socket; tests). */
    public static LocalApiClient forEndpoint(LocalApiEndpoint endpoint, LocalApiSettings settings) {
        LocalApiThreads threads = new LocalApiThreads();
        LocalApiTransport only = open(endpoint, threads, CommandRunner.processes());
        return new LocalApiClient(threads,
                new FailoverTransport(() -> List.of(only), threads.blocking()), settings);
    }

    /** Shorthand for a Unix socket with default timeouts. */
    public static LocalApiClient forUnixSocket(Path socket) {
        return forEndpoint(new LocalApiEndpoint.UnixSocket(socket), LocalApiSettings.defaults().withSocket(socket));
    }

    static LocalApiTransport open(LocalApiEndpoint endpoint, LocalApiThreads threads, CommandRunner runner) {
        if (endpoint instanceof LocalApiEndpoint.UnixSocket s) return new NettyHttpTransport(s, threads);
        if (endpoint instanceof LocalApiEndpoint.LoopbackPort p) return new NettyHttpTransport(p, threads);
        if (endpoint instanceof LocalApiEndpoint.NamedPipe p) return new NamedPipeTransport(p, threads);
        if (endpoint instanceof LocalApiEndpoint.Cli c) return new CliTransport(c, runner, threads);
        throw new IllegalArgumentException(String.valueOf(endpoint));
    }

    /** The endpoint in use (or to be tried first); null before the first call has discovered one. */
    public LocalApiEndpoint endpoint() {
        return transport.endpoint();
    }

    public LocalApiSettings settings() {
        return settings;
    }

    /** This machine's state, Tailscale addresses and names. */
    public CompletableFuture<TailscaleStatus> status() {
        return call(new LocalApiCall.Status(), settings.requestTimeout(),
                response -> TailscaleStatus.parse(response.text()), null);
    }

    /**
     * Who is connecting from {@code peer} (the remote address of an accepted connection; IPv4-
     * mapped IPv6 is unmapped first). Fails with {@link NotATailnetPeerException} when the
     * address is not a tailnet node. tailscaled looks peers up by IP; the port only matters for
     * loopback connections proxied by userspace networking.
     */
    public CompletableFuture<Identity> whois(InetSocketAddress peer) {
        Objects.requireNonNull(peer, "peer");
        InetAddress ip;
        String argument;
        try {
            ip = PeerAddresses.ipOf(peer);
            argument = PeerAddresses.whoisArgument(peer);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(new NotATailnetPeerException(peer.getHostString()));
        }
        String shown = PeerAddresses.text(ip);
        LocalApiCall call = new LocalApiCall.WhoIs(argument);
        CompletableFuture<Identity> first = whoisOnce(call, shown);
        return ip.isLoopbackAddress() ? retryNotFound(first, call, shown, 0) : first;
    }

    private CompletableFuture<Identity> whoisOnce(LocalApiCall call, String shown) {
        return call(call, settings.requestTimeout(), response -> Identity.parseWhoIs(response.text()), shown);
    }

    private CompletableFuture<Identity> retryNotFound(CompletableFuture<Identity> attempt, LocalApiCall call,
            String shown, int retry) {
        if (retry >= LOOPBACK_RETRIES.size()) return attempt;
        return attempt.handle((identity, error) -> {
            if (error == null || !(LocalApiException.from(error) instanceof NotATailnetPeerException)) return attempt;
            Executor later = CompletableFuture.delayedExecutor(LOOPBACK_RETRIES.get(retry).toMillis(),
                    TimeUnit.MILLISECONDS, threads.completions());
            CompletableFuture<Identity> next = CompletableFuture.supplyAsync(() -> null, later)
                    .thenCompose(ignored -> whoisOnce(call, shown));
            return retryNotFound(next, call, shown, retry + 1);
        }).thenCompose(f -> f);
    }

    /**
     * A certificate for {@code domain} (normally {@link TailscaleStatus#certDomains()}{@code [0]}).
     * May take tens of seconds on first issuance; limited by {@link LocalApiSettings#certTimeout()}.
     */
    public CompletableFuture<CertPair> cert(String domain) {
        String name = TailscaleStatus.withoutTrailingDot(Objects.requireNonNull(domain, "domain")).toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(name).matches()) {
            return CompletableFuture.failedFuture(new LocalApiHttpException("cert", 400, "invalid domain \"" + domain + "\""));
        }
        return call(new LocalApiCall.Cert(name), settings.certTimeout(),
                response -> CertPair.parse(name, new String(response.body(), StandardCharsets.US_ASCII)), null);
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(LocalApiResponse response) throws LocalApiException;
    }

    /**
     * Sends, then reads the answer on the blocking pool: parsing stays off the I/O thread, and
     * so do the caller's dependent stages, success or failure.
     */
    private <T> CompletableFuture<T> call(LocalApiCall call, Duration timeout, Reader<T> reader, String whoisPeer) {
        if (closed) {
            return CompletableFuture.failedFuture(new TailscaleUnreachableException("the Tailscale client has been closed"));
        }
        CompletableFuture<LocalApiResponse> sent;
        try {
            sent = transport.send(call, timeout);
        } catch (RuntimeException closedMeanwhile) {
            sent = CompletableFuture.failedFuture(closedMeanwhile);
        }
        return sent.handleAsync((response, error) -> {
            try {
                if (error != null) throw LocalApiException.from(error);
                if (response.status() / 100 == 2) return reader.read(response);
                throw failure(call, response, whoisPeer);
            } catch (LocalApiException e) {
                throw new CompletionException(e);
            }
        }, threads.completions());
    }

    private static LocalApiException failure(LocalApiCall call, LocalApiResponse response, String whoisPeer) {
        int status = response.status();
        if (status == 404 && whoisPeer != null) return new NotATailnetPeerException(whoisPeer);
        if (status == 401 || status == 403) return new LocalApiAccessDeniedException(call.operation(), status, response.errorText());
        return new LocalApiHttpException(call.operation(), status, response.errorText());
    }

    @Override
    public void close() {
        closed = true;
        transport.close();
        threads.close();
    }

    /** Carries discovery notes into the "not reachable" message; always "unreachable" itself. */
    private record NoteTransport(String note) implements LocalApiTransport {
        @Override
        public CompletableFuture<LocalApiResponse> send(LocalApiCall call, Duration timeout) {
            return CompletableFuture.failedFuture(new TailscaleUnreachableException(note));
        }

        @Override
        public LocalApiEndpoint endpoint() {
            return null;
        }
    }
}
