package dev.verifull.tailnet;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import dev.verifull.engine.Admission;
import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;
import dev.verifull.tailscale.Identity;
import dev.verifull.tailscale.LocalApiException;
import dev.verifull.tailscale.NotATailnetPeerException;
import dev.verifull.tailscale.TailscaleStatus;
import dev.verifull.tailscale.WhoIsCache;

/**
 * Admission on the tailnet: asks tailscaled who is behind each connection (whois, cached up to
 * 30 s per peer), then applies the profile's {@link AccessRules}. Fails closed: a peer tailscaled
 * does not know, or no usable answer at all (unreachable, timeout, refused, unreadable), is
 * refused with a message that says why.
 *
 * <p>A connection from this machine itself (whois names this machine's own node) is "this
 * machine", not its owner: on a multi-user machine any local user could be behind it. It gets in
 * only when the rules allow this machine, and is recorded as such.
 *
 * <p>Never blocks: the whois answer arrives on a LocalAPI thread (or at once from the cache) and
 * the decision is a few string comparisons; the engine moves the result back to its event loop.
 */
public final class TailscaleAdmission implements ClientAdmission {
    public static final String SOURCE = "tailscale";
    /** {@link PeerIdentity#source()} of a connection from this machine itself. */
    public static final String THIS_MACHINE_SOURCE = "tailscale-this-machine";
    static final String THIS_MACHINE = "this machine";

    private final WhoIsCache whois;
    private final Supplier<CompletableFuture<TailscaleStatus>> thisMachine;
    private final AccessRules rules;
    private final String profile;

    /** @param thisMachine this machine's status, for its own node ({@link TailscaleServices#thisMachine()}) */
    public TailscaleAdmission(WhoIsCache whois, Supplier<CompletableFuture<TailscaleStatus>> thisMachine, AccessRules rules,
            String profile) {
        this.whois = Objects.requireNonNull(whois, "whois");
        this.thisMachine = Objects.requireNonNull(thisMachine, "thisMachine");
        this.rules = Objects.requireNonNull(rules, "rules");
        this.profile = Objects.requireNonNull(profile, "profile");
    }

    public AccessRules rules() {
        return rules;
    }

    @Override
    public CompletionStage<Admission> admit(InetSocketAddress remote) {
        CompletableFuture<Identity> asked;
        try {
            asked = whois.lookup(remote);
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        return asked.handle((identity, error) -> error == null ? decideAbout(identity, remote) : CompletableFuture.completedFuture(failed(remote, error)))
                .thenCompose(decision -> decision);
    }

    private CompletableFuture<Admission> decideAbout(Identity who, InetSocketAddress remote) {
        CompletableFuture<TailscaleStatus> self;
        try {
            self = thisMachine.get();
        } catch (RuntimeException e) {
            self = CompletableFuture.failedFuture(e);
        }
        return self.handle((status, error) -> {
            if (error != null) return failed(remote, error); // cannot rule out "this machine": fail closed
            return status.isThisMachine(who) ? thisMachine(who, status) : decide(who);
        });
    }

    /** Whoever runs on this machine: only with allowThisMachine, and never as the owner's login. */
    private Admission thisMachine(Identity who, TailscaleStatus status) {
        String node = !who.machine().isEmpty() ? who.machine() : status.dnsName();
        PeerIdentity identity = new PeerIdentity(THIS_MACHINE_SOURCE, null, THIS_MACHINE, blankToNull(node), who.tags(),
                blankToNull(who.os()), blankToNull(who.nodeStableId()));
        String machine = node.isEmpty() ? THIS_MACHINE : THIS_MACHINE + " (" + node + ")";
        if (rules.allowThisMachine()) return Admission.allow(identity, "allowed: " + machine + " by allow-this-machine");
        return Admission.deny(identity, "denied: " + machine + " is not allowed on profile '" + profile + "'",
                Refusal.of(RefusalReason.ACCESS_DENIED,
                        "connections from this machine itself are not allowed on a tailnet profile; use a local-only "
                                + "profile, or tick \"Allow this machine\" in profile '" + profile + "' (serve --allow-this-machine)",
                        "Tailscale names every user of this machine as its owner, so a tailnet profile cannot tell "
                                + "who is connecting from here."));
    }

    private Admission decide(Identity who) {
        PeerIdentity identity = peerIdentity(who);
        AccessRules.Decision decision = rules.decide(who, profile);
        if (decision.allowed()) return Admission.allow(identity, decision.text());
        String machine = who.machine().isEmpty() ? "" : " on " + who.machine();
        // The client learns why and whom to ask, never who else may connect: the rules stay in the
        // audit log's decision and with whoever runs this Verifull.
        return Admission.deny(identity, decision.text(), Refusal.of(RefusalReason.ACCESS_DENIED,
                "access denied: " + identity.label() + machine + " may not use profile '" + profile + "'",
                "Ask whoever runs this Verifull to allow you (" + rule(who) + ")"
                        + (rules.capabilities().isEmpty() ? "" : ", or a tailnet admin to grant you this profile"
                                + " (\"profiles\": [\"" + profile + "\"]) in the tailnet policy file") + "."));
    }

    /** The serve option that would let {@code who} in. */
    private static String rule(Identity who) {
        return who.tagged() ? "--allow-tag " + who.tags().get(0) : "--allow-user " + who.loginName();
    }

    private static Admission failed(InetSocketAddress remote, Throwable error) {
        LocalApiException e = LocalApiException.from(error);
        if (e instanceof NotATailnetPeerException notPeer) {
            return Admission.deny(PeerIdentity.UNKNOWN, "denied: " + notPeer.getMessage(),
                    Refusal.of(RefusalReason.NOT_A_TAILNET_PEER, notPeer.getMessage(),
                            "Connect through Tailscale, to this machine's Tailscale address or MagicDNS name; "
                                    + "connections from the LAN or through subnet routers cannot be identified."));
        }
        String from = remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
        return Admission.deny(PeerIdentity.UNKNOWN, "denied: identity unavailable (" + e.getMessage() + ")",
                Refusal.of(RefusalReason.IDENTITY_UNAVAILABLE,
                        "cannot tell who is connecting from " + from + ": " + e.getMessage(),
                        "Verifull lets in only connections Tailscale can identify. "
                                + "Check that Tailscale is running on the Verifull machine (tailscale status)."));
    }

    /** The engine's view of a Tailscale identity. */
    static PeerIdentity peerIdentity(Identity who) {
        return new PeerIdentity(SOURCE, who.loginName(), blankToNull(who.displayName()), blankToNull(who.machine()),
                who.tags(), blankToNull(who.os()), blankToNull(who.nodeStableId()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
