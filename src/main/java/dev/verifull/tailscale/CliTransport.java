package dev.verifull.tailscale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/**
 * The fallback: runs the {@code tailscale} command and presents its output as if it were the
 * LocalAPI's answer, so parsing and error mapping stay in one place. {@code --json} output is the
 * same JSON as the LocalAPI (indented with spaces instead of tabs). Errors come as text on
 * stderr with exit code 1 and are mapped back to the status the LocalAPI would have sent.
 */
final class CliTransport implements LocalApiTransport {
    private final LocalApiEndpoint.Cli endpoint;
    private final CommandRunner runner;
    private final LocalApiThreads threads;

    CliTransport(LocalApiEndpoint.Cli endpoint, CommandRunner runner, LocalApiThreads threads) {
        this.endpoint = endpoint;
        this.runner = runner;
        this.threads = threads;
    }

    @Override
    public LocalApiEndpoint endpoint() {
        return endpoint;
    }

    @Override
    public CompletableFuture<LocalApiResponse> send(LocalApiCall call, Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return call instanceof LocalApiCall.Cert cert ? fetchCert(cert, timeout) : run(call, arguments(call), timeout);
            } catch (LocalApiException e) {
                throw new CompletionException(e);
            }
        }, threads.blocking());
    }

    private List<String> arguments(LocalApiCall call) {
        if (call instanceof LocalApiCall.Status) return List.of("status", "--json", "--peers=false");
        if (call instanceof LocalApiCall.WhoIs whois) return List.of("whois", "--json", whois.addr());
        throw new IllegalArgumentException(call.toString());
    }

    // `tailscale cert` writes files; read them back into the LocalAPI's pair form (key, then chain).
    private LocalApiResponse fetchCert(LocalApiCall.Cert cert, Duration timeout) throws LocalApiException {
        Path dir;
        try {
            dir = Files.createTempDirectory("verifull-cert");
        } catch (IOException e) {
            throw new TailscaleUnreachableException("could not make a temporary directory for tailscale cert: " + e.getMessage(), e);
        }
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        try {
            LocalApiResponse response = run(cert, List.of("cert", "--cert-file", certFile.toString(),
                    "--key-file", keyFile.toString(), cert.domain()), timeout);
            if (response.status() != 200) return response;
            String pair = Files.readString(keyFile, StandardCharsets.US_ASCII) + "\n"
                    + Files.readString(certFile, StandardCharsets.US_ASCII);
            return new LocalApiResponse(200, pair.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new MalformedAnswerException("cert", "tailscale cert wrote no readable files (" + e.getMessage() + ")", e);
        } finally {
            for (Path p : List.of(keyFile, certFile, dir)) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless; it is 0600 by default
                }
            }
        }
    }

    private LocalApiResponse run(LocalApiCall call, List<String> arguments, Duration timeout) throws LocalApiException {
        List<String> command = new ArrayList<>();
        command.add(endpoint.executable().toString());
        if (endpoint.socket() != null) command.add("--socket=" + endpoint.socket());
        command.addAll(arguments);
        CommandRunner.Result result;
        try {
            result = runner.run(command, timeout);
        } catch (TimeoutException e) {
            throw new LocalApiTimeoutException(call.operation(), timeout, endpoint);
        } catch (IOException e) {
            throw TailscaleUnreachableException.at(endpoint, "it could not be run: " + e.getMessage(), e);
        }
        if (result.exitCode() == 0) return new LocalApiResponse(200, result.stdout().getBytes(StandardCharsets.UTF_8));
        return failure(result);
    }

    /** Maps the CLI's error text (see cmd/tailscale/cli) back to LocalAPI statuses. */
    private LocalApiResponse failure(CommandRunner.Result result) throws TailscaleUnreachableException {
        String text = firstMeaningfulLine(result.stderr().isBlank() ? result.stdout() : result.stderr());
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.contains("failed to connect")) throw TailscaleUnreachableException.at(endpoint, text, null);
        int status = lower.contains("peer not found") || lower.contains("no match for") ? 404
                : lower.contains("access denied") ? 403
                : 500;
        return new LocalApiResponse(status, text.getBytes(StandardCharsets.UTF_8));
    }

    // Skip the "Warning: client version ... != tailscaled server version" line when there is more.
    private static String firstMeaningfulLine(String output) {
        String fallback = "";
        for (String line : output.strip().split("\\R")) {
            if (line.isBlank()) continue;
            if (fallback.isEmpty()) fallback = line.strip();
            if (!line.startsWith("Warning: client version")) return line.strip();
        }
        return fallback.isEmpty() ? "the tailscale command failed without saying why" : fallback;
    }
}
