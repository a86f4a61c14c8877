package dev.verifull.connect;

import java.util.List;

/**
 * What a pasted connection string says about the server to verify: where it is, which database and
 * user the copied strings should name, the name its certificate carries, the CA it was verified
 * with. Each part is null when the text did not give it. Passwords are read past and never kept.
 *
 * @param host        the server to connect to (for {@code hostaddr}, that address)
 * @param port        its port
 * @param serverName  the name the certificate must carry, when it differs from {@code host}
 *                    ({@code host} given together with {@code hostaddr})
 * @param sslRootCert libpq's {@code sslrootcert}: a CA file path, or {@code system}
 * @param notes       what the user should know about what was left out, e.g. the password, other hosts
 */
public record PastedConnection(String host, Integer port, String database, String user, String serverName,
                               String sslRootCert, List<String> notes) {
    public PastedConnection {
        notes = List.copyOf(notes);
    }

    /** The parts that were filled in, for a sentence such as "Filled in: host, port, user". */
    public List<String> filledParts() {
        List<String> parts = new java.util.ArrayList<>();
        if (host != null) parts.add("host");
        if (port != null) parts.add("port");
        if (database != null) parts.add("database");
        if (user != null) parts.add("user");
        if (serverName != null) parts.add("server name");
        if (sslRootCert != null) parts.add("CA");
        return parts;
    }
}
