package dev.verifull.connect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One ready-to-paste way to connect to a profile's engine, or why that form cannot hold this
 * profile's names (then {@link #text} is null and {@link #note} says why).
 *
 * @param label  what to call it, e.g. {@code JDBC URL — DBeaver, IntelliJ, Java}
 * @param text   the text to copy; null when the form cannot hold the profile's names
 * @param note   where it goes or what to add (a password, a file's place); the reason when {@code text} is null; "" for none
 * @param fields the same settings one by one, for tools with a field per setting (DBeaver); empty otherwise
 */
public record ConnectionString(Kind kind, String label, String text, String note, Map<String, String> fields) {
    public enum Kind {
        /** {@code psql "host=... port=..."}, for a POSIX shell, or PowerShell on Windows. */
        PSQL_COMMAND,
        /** {@code postgresql://user@host:port/db?sslmode=disable}: libpq, node-postgres, pgx, Prisma, Rails, Django. */
        LIBPQ_URI,
        /** {@code postgresql+psycopg://...}: SQLAlchemy with psycopg 3. */
        SQLALCHEMY_URL,
        /** {@code jdbc:postgresql://host:port/db?user=...&sslmode=disable} */
        JDBC_URL,
        /** DBeaver's connection dialog: host, port, database, user, one field each. */
        DBEAVER,
        /** {@code dbeaver -con "driver=postgresql|host=...|..."} */
        DBEAVER_COMMAND,
        /** {@code host=... port=... dbname=... user=... sslmode=disable} */
        CONNINFO,
        /** {@code export PGHOST=...} lines, for a POSIX shell. */
        PG_ENV,
        /** {@code $env:PGHOST = '...'} lines, for PowerShell. */
        PG_ENV_POWERSHELL,
        /** {@code set "PGHOST=..."} lines, for cmd. */
        PG_ENV_CMD,
        /** A {@code pg_service.conf} section: libpq and pgJDBC use it by name. */
        PG_SERVICE,
        /** A {@code .pgpass} line with a placeholder for the password. */
        PGPASS,
        /** psql over TLS to Verifull, verifying its certificate: only when the profile offers TLS to clients. */
        PSQL_VERIFY_FULL,
        /** pgJDBC over TLS to Verifull, verifying its certificate: only when the profile offers TLS to clients. */
        JDBC_VERIFY_FULL
    }

    public ConnectionString {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(label, "label");
        note = note == null ? "" : note;
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** A form with its text and, if any, a note on where it goes. */
    public static ConnectionString of(Kind kind, String label, String text, String note) {
        return new ConnectionString(kind, label, Objects.requireNonNull(text, "text"), note, Map.of());
    }

    /** A form that cannot hold this profile's names, and why. */
    public static ConnectionString unavailable(Kind kind, String label, String why) {
        return new ConnectionString(kind, label, null, why, Map.of());
    }

    public boolean available() {
        return text != null;
    }
}
