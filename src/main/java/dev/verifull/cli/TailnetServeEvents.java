package dev.verifull.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import dev.verifull.logging.Log;
import dev.verifull.tailnet.TailnetBinding;
import dev.verifull.tailscale.TailscaleStatus;

/**
 * What {@code serve} says while it follows Tailscale: the ready line on stdout the first time it
 * listens (the scripts' contract: exactly one stdout line), everything later on stderr. A port in
 * use before the first successful bind ends the command, as with {@code --listen}.
 */
final class TailnetServeEvents implements TailnetBinding.Events {
    private final PrintWriter out;
    private final Log log;
    private final CompletableFuture<Integer> exit;
    private final BiFunction<List<InetSocketAddress>, String, String> readyLine;
    private boolean ready; // confined to the binding's thread
    private String lastFailure;

    TailnetServeEvents(PrintWriter out, Log log, CompletableFuture<Integer> exit,
            BiFunction<List<InetSocketAddress>, String, String> readyLine) {
        this.out = out;
        this.log = log;
        this.exit = exit;
        this.readyLine = readyLine;
    }

    @Override
    public void waiting(TailscaleStatus status) {
        if (exit.isDone()) return;
        log.warn((ready ? "not listening; " : "") + TailnetBinding.waitingText(status));
    }

    @Override
    public void listening(List<InetSocketAddress> addresses, TailscaleStatus status, String certificate) {
        if (exit.isDone()) return;
        lastFailure = null;
        if (!ready) {
            ready = true;
            out.println(readyLine.apply(addresses, certificate));
            out.flush();
        } else {
            log.info("now listening on " + ServeCommand.join(addresses) + " (Tailscale addresses of "
                    + (status.dnsName().isEmpty() ? "this machine" : status.dnsName()) + ")");
        }
    }

    @Override
    public void bindFailed(Throwable failure, TailscaleStatus status) {
        if (exit.isDone()) return;
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        if (!ready && addressInUse(failure)) {
            log.error(message);
            exit.complete(Cli.EXIT_FAILURE);
            return;
        }
        if (message.equals(lastFailure)) return;
        lastFailure = message;
        log.warn(message + " (trying again every " + TailnetBinding.RETRY.toSeconds() + " s)");
    }

    @Override
    public void ignoredAddresses(List<InetAddress> ignored, TailscaleStatus status) {
        if (exit.isDone() || ignored.isEmpty()) return;
        log.warn(TailnetBinding.ignoredText(ignored));
    }

    private static boolean addressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("address already in use") || (t instanceof BindException && m.contains("in use"))) return true;
        }
        return false;
    }
}
