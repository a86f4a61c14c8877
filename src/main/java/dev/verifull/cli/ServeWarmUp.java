package dev.verifull.cli;

import java.util.List;

import dev.verifull.engine.NettyTransport;
import dev.verifull.tls.TlsProvider;

/**
 * Starts the slow one-time set-up of {@code serve} on a second thread while the first parses
 * options and reads files: loading OpenSSL (netty-tcnative, which also sets up the JDK's default
 * TLS context) and probing io_uring. Together they were about 40 % of the samples before the
 * ready line, and they depend on nothing the options say. When the main thread reaches them
 * it waits for the class initialisation under way instead of repeating it; a failure here is
 * ignored, because the main thread meets it again and reports it. {@code Main} starts it before
 * anything else, so it also overlaps loading the command-line classes (picocli's model alone is
 * ~0.2 s of a start).
 */
public final class ServeWarmUp {
    private ServeWarmUp() {}

    public static void startFor(String[] args) {
        if (args.length == 0 || !args[0].equals("serve")) return;
        List<String> list = List.of(args);
        // OpenSSL is what "auto" picks; a run that asked for another provider does not need it.
        int i = list.indexOf("--tls-provider");
        String provider = i >= 0 && i + 1 < list.size() ? list.get(i + 1)
                : list.stream().filter(a -> a.startsWith("--tls-provider=")).map(a -> a.substring(15)).findFirst().orElse("auto");
        boolean openSsl = provider.equals("auto") || provider.equals("openssl");
        Thread t = new Thread(() -> {
            try {
                if (openSsl) TlsProvider.OPENSSL.isAvailable();
                NettyTransport.loadNatives();
            } catch (Throwable ignored) {
                // the same call on the main thread reports it
            }
        }, "verifull-warm-up");
        t.setDaemon(true);
        t.start();
    }
}
