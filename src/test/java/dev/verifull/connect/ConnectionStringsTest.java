package dev.verifull.connect;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.verifull.connect.ConnectionString.Kind;
import dev.verifull.profile.ProfileBuilder;
import org.junit.jupiter.api.Test;

/** The exact texts; {@link ConnectionStringsRealClientsTest} proves that clients accept them. */
class ConnectionStringsTest {
    private static Map<Kind, String> texts(ProfileBuilder p, String host, int port) {
        return ConnectionStrings.forProfile(p.build(), host, port).stream()
                .collect(Collectors.toMap(ConnectionString::kind, ConnectionString::text));
    }

    @Test
    void everyFormatInMenuOrder() {
        List<ConnectionString> all = ConnectionStrings.forProfile(profile().defaultUser("alice").build(), "laptop.tail1a2b.ts.net", 6432);
        assertEquals(List.of(Kind.PSQL_COMMAND, Kind.LIBPQ_URI, Kind.JDBC_URL, Kind.CONNINFO, Kind.PG_ENV),
                all.stream().map(ConnectionString::kind).toList());
        Map<Kind, String> t = all.stream().collect(Collectors.toMap(ConnectionString::kind, ConnectionString::text));
        assertEquals("psql \"host=laptop.tail1a2b.ts.net port=6432 dbname=postgres user=alice sslmode=disable\"", t.get(Kind.PSQL_COMMAND));
        assertEquals("postgresql://alice@laptop.tail1a2b.ts.net:6432/postgres?sslmode=disable", t.get(Kind.LIBPQ_URI));
        assertEquals("jdbc:postgresql://laptop.tail1a2b.ts.net:6432/postgres?user=alice&sslmode=disable", t.get(Kind.JDBC_URL));
        assertEquals("host=laptop.tail1a2b.ts.net port=6432 dbname=postgres user=alice sslmode=disable", t.get(Kind.CONNINFO));
        assertEquals("export PGHOST=laptop.tail1a2b.ts.net\nexport PGPORT=6432\nexport PGDATABASE=postgres\n"
                + "export PGUSER=alice\nexport PGSSLMODE=disable", t.get(Kind.PG_ENV));
        assertEquals("JDBC URL (DBeaver, IntelliJ)", all.get(2).label());
    }

    @Test
    void missingDatabaseAndUserAreLeftOut() {
        Map<Kind, String> t = texts(profile().defaultDatabase(null).defaultUser(""), "127.0.0.1", 6433);
        assertEquals("psql \"host=127.0.0.1 port=6433 sslmode=disable\"", t.get(Kind.PSQL_COMMAND));
        assertEquals("postgresql://127.0.0.1:6433?sslmode=disable", t.get(Kind.LIBPQ_URI));
        assertEquals("jdbc:postgresql://127.0.0.1:6433/?sslmode=disable", t.get(Kind.JDBC_URL));
        assertEquals("export PGHOST=127.0.0.1\nexport PGPORT=6433\nexport PGSSLMODE=disable", t.get(Kind.PG_ENV));
    }

    @Test
    void awkwardNamesAreQuotedForEachSyntax() {
        Map<Kind, String> t = texts(profile().defaultDatabase("my db's \"x\" 5%&+").defaultUser("o'hara@corp $HOME\\"), "127.0.0.1", 6432);
        assertEquals("host=127.0.0.1 port=6432 dbname='my db\\'s \"x\" 5%&+' user='o\\'hara@corp $HOME\\\\' sslmode=disable",
                t.get(Kind.CONNINFO));
        assertEquals("psql \"host=127.0.0.1 port=6432 dbname='my db\\\\'s \\\"x\\\" 5%&+' user='o\\\\'hara@corp \\$HOME\\\\\\\\' sslmode=disable\"",
                t.get(Kind.PSQL_COMMAND));
        assertEquals("postgresql://o%27hara%40corp%20%24HOME%5C@127.0.0.1:6432/my%20db%27s%20%22x%22%205%25%26%2B?sslmode=disable",
                t.get(Kind.LIBPQ_URI));
        assertEquals("jdbc:postgresql://127.0.0.1:6432/my%20db%27s%20%22x%22%205%25%26%2B?user=o%27hara%40corp%20%24HOME%5C&sslmode=disable",
                t.get(Kind.JDBC_URL));
        assertEquals("export PGDATABASE=\"my db's \\\"x\\\" 5%&+\"", t.get(Kind.PG_ENV).lines().toList().get(2));
    }

    @Test
    void anExclamationMarkSwitchesThePsqlCommandToSingleQuotes() {
        Map<Kind, String> t = texts(profile().defaultDatabase("hi!"), "127.0.0.1", 6432);
        assertEquals("psql 'host=127.0.0.1 port=6432 dbname=hi! sslmode=disable'", t.get(Kind.PSQL_COMMAND));
    }

    @Test
    void ipv6HostsAreBracketedInUrls() {
        Map<Kind, String> t = texts(profile().defaultUser("u"), "fd7a:115c:a1e0::1", 6432);
        assertEquals("postgresql://u@[fd7a:115c:a1e0::1]:6432/postgres?sslmode=disable", t.get(Kind.LIBPQ_URI));
        assertEquals("jdbc:postgresql://[fd7a:115c:a1e0::1]:6432/postgres?user=u&sslmode=disable", t.get(Kind.JDBC_URL));
        assertEquals("host=fd7a:115c:a1e0::1 port=6432 dbname=postgres user=u sslmode=disable", t.get(Kind.CONNINFO));
    }

    @Test
    void nonAsciiIsUtf8PercentEncoded() {
        assertEquals("caf%C3%A9", ConnectionStrings.percentEncode("café"));
        assertEquals("a-b_c.d~e", ConnectionStrings.percentEncode("a-b_c.d~e"));
    }
}
