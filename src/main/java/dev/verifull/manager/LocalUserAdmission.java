package dev.verifull.manager;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.verifull.engine.Admission;
import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;

/**
 * Admission in local-only mode: the engine listens on loopback, so whoever connects is a program
 * of this machine and is recorded as the local user, without asking Tailscale. Anything that is
 * not loopback is refused (it cannot happen while the engine listens on loopback only).
 */
public final class LocalUserAdmission implements ClientAdmission {
    public static final String SOURCE = "local";

    private final PeerIdentity localUser;

    public LocalUserAdmission(String userName, String os) {
        this.localUser = new PeerIdentity(SOURCE, Objects.requireNonNull(userName, "userName"), null, "localhost",
                List.of(), os, null);
    }

    /** The user this process runs as. */
    public static LocalUserAdmission forThisProcess() {
        return new LocalUserAdmission(System.getProperty("user.name", "unknown"), System.getProperty("os.name"));
    }

    public PeerIdentity localUser() {
        return localUser;
    }

    @Override
    public CompletionStage<Admission> admit(InetSocketAddress remote) {
        if (remote.getAddress() != null && remote.getAddress().isLoopbackAddress()) {
            return CompletableFuture.completedFuture(
                    Admission.allow(localUser, "allowed: local user " + localUser.loginName() + " (local-only mode)"));
        }
        String from = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return CompletableFuture.completedFuture(Admission.deny(PeerIdentity.UNKNOWN,
                "denied: " + from + " is not local (local-only mode)",
                Refusal.of(RefusalReason.ACCESS_DENIED, from + " is not this machine: this profile is local-only",
                        "Connect from this machine, or run the profile on the tailnet.")));
    }
}
