package dev.verifull.engine;

/**
 * The answer of a {@link ClientAdmission} for one connection: admitted with an identity, or
 * refused with a client-visible reason.
 */
public record Admission(PeerIdentity identity, String decision, Refusal refusal) {
    public static Admission allow(PeerIdentity identity, String decision) {
        return new Admission(identity, decision, null);
    }

    public static Admission deny(PeerIdentity identity, String decision, Refusal refusal) {
        return new Admission(identity, decision, refusal);
    }

    public boolean allowed() {
        return refusal == null;
    }
}
