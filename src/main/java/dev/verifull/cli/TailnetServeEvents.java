package dev.verifull.cli;

import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

import dev.verifull.tailnet.TailnetBinding;
import dev.verifull.tailscale.TailscaleStatus;

/**
 * What {@code serve} says while it follows Tailscale: the ready line on stdout the first time it
 * listens (the scripts' contract: exactly one stdout line), everything later on stderr. A port in
 * use before the first successful bind ends the command, as with {@code --listen}.
 */
final class TailnetServeEvents implements TailnetBinding.Events {
    private final PrintWriter out;
    private final PrintWriter err;
    private final CompletableFuture<Integer> exit;
    private final BiFunction<List<InetSocketAddress>, String, String> readyLine;
    private boolean ready; // confined to the binding's thread
    private String lastFailure;

    TailnetServeEvents(PrintWriter out, PrintWriter err, CompletableFuture<Integer> exit,
            BiFunction<List<InetSocketAddress>, String, String> readyLine) {
        this.out = out;
        this.err = err;
        this.exit = exit;
        this.readyLine = readyLine;
    }

    @Override
    public void waiting(TailscaleStatus status) {
        if (exit.isDone()) return;
        err.println("verifull: " + (ready ? "not listening; " : "") + TailnetBinding.waitingText(status));
        err.flush();
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
            err.println("verifull: now listening on " + ServeCommand.join(addresses) + " (Tailscale addresses of "
                    + (status.dnsName().isEmpty() ? "this machine" : status.dnsName()) + ")");
            err.flush();
        }
    }

    @Override
    public void bindFailed(Throwable failure, TailscaleStatus status) {
        if (exit.isDone()) return;
        String message = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        if (!ready && addressInUse(failure)) {
            err.println("verifull: " + message);
            err.flush();
            exit.complete(Cli.EXIT_FAILURE);
            return;
        }
        if (message.equals(lastFailure)) return;
        lastFailure = message;
        err.println("verifull: " + message + " (trying again every " + TailnetBinding.RETRY.toSeconds() + " s)");
        err.flush();
    }

    @Override
    public void ignoredAddresses(List<InetAddress> ignored, TailscaleStatus status) {
        if (exit.isDone() || ignored.isEmpty()) return;
        err.println("verifull: " + TailnetBinding.ignoredText(ignored));
        err.flush();
    }

    private static boolean addressInUse(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String m = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (m.contains("address already in use") || (t instanceof BindException && m.contains("in use"))) return true;
        }
        return false;
    }
}
