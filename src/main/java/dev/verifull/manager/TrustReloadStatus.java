package dev.verifull.manager;

import java.time.Instant;
import java.util.function.Consumer;

import dev.verifull.tls.TrustReload;

/**
 * How the upstream trust of one engine has been reloaded: files changed on disk, serve's SIGHUP,
 * or the profile edited in the app. Thread-safe; read it from anywhere (status lines, the app's
 * profile, metrics) with {@link #snapshot()}.
 */
public final class TrustReloadStatus implements Consumer<TrustReload> {

    /**
     * @param lastAttempt   the last reload attempt, or null when there was none since the engine started
     * @param lastSuccessAt when changed trust was last taken into use; null if never
     * @param failing       the last attempt failed: the files on disk (or in the profile) are not in use
     * @param reloads       reloads that succeeded
     * @param failures      reloads that failed
     */
    public record Snapshot(TrustReload lastAttempt, Instant lastSuccessAt, boolean failing, long reloads, long failures) {
        /** The error of the failing reload, or null. */
        public String error() {
            return failing ? lastAttempt.error() : null;
        }
    }

    private Snapshot snapshot = new Snapshot(null, null, false, 0, 0);

    @Override
    public synchronized void accept(TrustReload r) {
        Snapshot s = snapshot;
        snapshot = r.ok()
                ? new Snapshot(r, r.at(), false, s.reloads() + 1, s.failures())
                : new Snapshot(r, s.lastSuccessAt(), true, s.reloads(), s.failures() + 1);
    }

    public synchronized Snapshot snapshot() {
        return snapshot;
    }

    /** One line for people: what was kept and why, or that the new trust is in use. */
    public static String describe(TrustReload r) {
        return r.ok()
                ? "upstream trust reloaded (" + r.reason() + "): new connections verify against " + r.trust()
                : "upstream trust NOT reloaded (" + r.reason() + "): " + r.error() + "; new connections still verify against the "
                        + "last good " + r.trust();
    }
}
