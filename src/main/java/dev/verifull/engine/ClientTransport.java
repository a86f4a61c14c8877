package dev.verifull.engine;

/** How the client reached the engine. */
public enum ClientTransport {
    /** Nothing decided yet (startup phase not finished). */
    UNKNOWN("—"),
    PLAINTEXT("plaintext"),
    /** SSLRequest answered with 'S', then TLS. */
    TLS("TLS"),
    /** PostgreSQL 17+ direct TLS (first byte a TLS handshake record, ALPN postgresql). */
    DIRECT_TLS("direct TLS");

    private final String label;

    ClientTransport(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean encrypted() {
        return this == TLS || this == DIRECT_TLS;
    }
}
