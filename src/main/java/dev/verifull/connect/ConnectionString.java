package dev.verifull.connect;

/**
 * One ready-to-paste way to connect to a profile's engine.
 *
 * @param label what to call it in a menu, e.g. {@code JDBC URL (DBeaver, IntelliJ)}
 * @param text  the text to copy
 */
public record ConnectionString(Kind kind, String label, String text) {
    public enum Kind {
        /** {@code psql "host=... port=..."}, for a POSIX shell. */
        PSQL_COMMAND,
        /** {@code postgresql://user@host:port/db?sslmode=disable} */
        LIBPQ_URI,
        /** {@code jdbc:postgresql://host:port/db?user=...&sslmode=disable} */
        JDBC_URL,
        /** {@code host=... port=... dbname=... user=... sslmode=disable} */
        CONNINFO,
        /** {@code export PGHOST=...} lines */
        PG_ENV
    }
}
