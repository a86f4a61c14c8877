package dev.verifull.app.sessions;

import java.time.Instant;
import java.util.List;

import dev.verifull.engine.ClientTransport;
import dev.verifull.engine.Outcome;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionRecord;

/** Session records for tests. */
public final class Records {
    private Records() {}

    public static final PeerIdentity ALICE = new PeerIdentity("tailscale", "alice@example.com", "Alice", "laptop",
            List.of(), "linux", "n1");

    public static final PeerIdentity CI = new PeerIdentity("tailscale", "tagged-devices", "Tagged Devices",
            "build-box.tail1a2b3.ts.net", List.of("tag:ci", "tag:deploy"), "linux", "n2");
    public static final PeerIdentity LOCAL = new PeerIdentity("local", "dana", "dana", "this computer", List.of(), "Linux", null);

    /** A refusal with the DETAIL and HINT the client got, from an IPv6 client. */
    public static SessionRecord refused(long id, String engine, Instant at, PeerIdentity who, RefusalReason reason,
                                        String message, String detail, String hint) {
        return new SessionRecord(id, engine, "session", "fd7a:115c:a1e0:0:0:0:0:7", 40002, ClientTransport.PLAINTEXT, null, null,
                who, "allowed", "db.example.com", 5432, null, null, null, null, "3.0", "app", "orders", "psql",
                Outcome.REFUSED, reason, reason.sqlState(), message, at, at.plusMillis(40), 0, 0, "refused: " + reason.code(),
                detail, hint, null);
    }

    public static SessionRecord live(long id, String engine, Instant started, String user) {
        return new SessionRecord(id, engine, "session", "100.64.0.7", 51000 + (int) id, ClientTransport.TLS, "TLSv1.3",
                "TLS_AES_128_GCM_SHA256", ALICE, "allowed", "db.example.com", 5432, "TLSv1.3", "TLS_AES_256_GCM_SHA384",
                "CN=db.example.com", "AB:CD", "3.0", user, "orders", "psql", Outcome.AUTHENTICATED, null, null, null,
                started, null, 1200, 34000, null, null, null, 4242);
    }

    public static SessionRecord ended(long id, String engine, Instant started, Instant ended) {
        return new SessionRecord(id, engine, "session", "127.0.0.1", 40000, ClientTransport.PLAINTEXT, null, null,
                ALICE, "allowed", "db.example.com", 5432, "TLSv1.3", "TLS_AES_256_GCM_SHA384", "CN=db.example.com", "AB:CD",
                "3.0", "app", "orders", "DBeaver", Outcome.AUTHENTICATED, null, null, null, started, ended, 500, 9000,
                "client closed", null, null, 4243);
    }

    public static SessionRecord refused(long id, String engine, Instant at, RefusalReason reason, String message) {
        return new SessionRecord(id, engine, "session", "127.0.0.1", 40001, ClientTransport.PLAINTEXT, null, null,
                ALICE, "allowed", "db.example.com", 5432, null, null, null, null, "3.0", "app", "orders", "psql",
                Outcome.REFUSED, reason, reason.sqlState(), message, at, at.plusMillis(40), 0, 0, null, null, null, null);
    }
}
