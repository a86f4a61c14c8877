package dev.verifull.metrics;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import dev.verifull.tls.TrustReload;

/**
 * Reloads of the upstream's CA, client certificate and key files (a changed file, SIGHUP, an
 * edited profile), as metrics: an alert on {@code verifull_trust_reload_failing == 1} finds an
 * engine that still uses its last good trust because the new files did not load.
 */
public final class TrustReloadMetrics {
    private final AtomicLong ok = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<TrustReload> last = new AtomicReference<>();

    /** A listener for {@code UpstreamTls.addReloadListener}; any thread. */
    public void accept(TrustReload reload) {
        (reload.ok() ? ok : failed).incrementAndGet();
        last.set(reload);
    }

    public void write(Exposition out) {
        out.family("verifull_trust_reloads_total", Exposition.Type.COUNTER,
                "Reloads of the upstream trust files since start, by result (ok: the new files are in use; failed: "
                        + "they did not load and the last good trust stays).");
        out.sample("verifull_trust_reloads_total", ok.get(), "result", "ok");
        out.sample("verifull_trust_reloads_total", failed.get(), "result", "failed");
        TrustReload r = last.get();
        out.family("verifull_trust_reload_failing", Exposition.Type.GAUGE,
                "1 while the last reload of the trust files failed (the engine uses the last good trust), else 0.");
        out.sample("verifull_trust_reload_failing", r != null && !r.ok() ? 1 : 0);
    }
}
