package dev.verifull.tailnet;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.verifull.engine.Admission;
import dev.verifull.engine.ClientAdmission;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;
import dev.verifull.tailscale.Identity;
import dev.verifull.tailscale.LocalApiException;
import dev.verifull.tailscale.NotATailnetPeerException;
import dev.verifull.tailscale.WhoIsCache;

/**
 * Admission on the tailnet: asks tailscaled who is behind each connection (whois, cached up to
 * 30 s per peer), then applies the profile's {@link AccessRules}. Fails closed: a peer tailscaled
 * does not know, or no usable answer at all (unreachable, timeout, refused, unreadable), is
 * refused with a message that says why.
 *
 * <p>Never blocks: the whois answer arrives on a LocalAPI thread (or at once from the cache) and
 * the decision is a few string comparisons; the engine moves the result back to its event loop.
 */
public final class TailscaleAdmission implements ClientAdmission {
    public static final String SOURCE = "tailscale";

    private final WhoIsCache whois;
    private final AccessRules rules;
    private final String profile;

    public TailscaleAdmission(WhoIsCache whois, AccessRules rules, String profile) {
        this.whois = Objects.requireNonNull(whois, "whois");
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
        return asked.handle((identity, error) -> error == null ? decide(identity) : failed(remote, error));
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
