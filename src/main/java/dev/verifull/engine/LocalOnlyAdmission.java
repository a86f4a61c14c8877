package dev.verifull.engine;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Local-only profiles: loopback clients are this machine's user and are not asked about; anything
 * else (only possible through a misconfiguration) is refused.
 */
public final class LocalOnlyAdmission implements ClientAdmission {
    /** {@link PeerIdentity#source()} of the local user. */
    public static final String SOURCE = "local";

    private final PeerIdentity localUser;

    public LocalOnlyAdmission() {
        String user = System.getProperty("user.name", "local user");
        this.localUser = new PeerIdentity(SOURCE, user, user, "this computer", List.of(), System.getProperty("os.name"), null);
    }

    @Override
    public CompletionStage<Admission> admit(InetSocketAddress remote) {
        if (remote.getAddress() != null && remote.getAddress().isLoopbackAddress()) {
            return CompletableFuture.completedFuture(Admission.allow(localUser, "allowed: local user (local-only profile)"));
        }
        return CompletableFuture.completedFuture(Admission.deny(PeerIdentity.UNKNOWN, "denied: not a local connection",
                Refusal.of(RefusalReason.ACCESS_DENIED, remote.getAddress().getHostAddress()
                        + " is not this computer, and this profile accepts local connections only", "Use the tailnet binding for remote clients.")));
    }
}
