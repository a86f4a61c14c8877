package dev.verifull.connect;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        List<ConnectionString> all = ConnectionStrings.forProfile(profile().name("orders").defaultUser("alice").build(), "laptop.tail1a2b.ts.net", 6432);
        assertEquals(List.of(Kind.PSQL_COMMAND, Kind.LIBPQ_URI, Kind.SQLALCHEMY_URL, Kind.JDBC_URL, Kind.DBEAVER, Kind.DBEAVER_COMMAND,
                        Kind.CONNINFO, Kind.PG_ENV, Kind.PG_SERVICE, Kind.PGPASS),
                all.stream().map(ConnectionString::kind).toList());
        Map<Kind, String> t = all.stream().collect(Collectors.toMap(ConnectionString::kind, ConnectionString::text));
        assertEquals("psql \"host=laptop.tail1a2b.ts.net port=6432 dbname=postgres user=alice sslmode=disable\"", t.get(Kind.PSQL_COMMAND));
        assertEquals("postgresql://alice@laptop.tail1a2b.ts.net:6432/postgres?sslmode=disable", t.get(Kind.LIBPQ_URI));
        assertEquals("postgresql+psycopg://alice@laptop.tail1a2b.ts.net:6432/postgres?sslmode=disable", t.get(Kind.SQLALCHEMY_URL));
        assertEquals("jdbc:postgresql://laptop.tail1a2b.ts.net:6432/postgres?user=alice&sslmode=disable", t.get(Kind.JDBC_URL));
        assertEquals("Host: laptop.tail1a2b.ts.net\nPort: 6432\nDatabase: postgres\nUsername: alice\nDriver property sslmode: disable",
                t.get(Kind.DBEAVER));
        assertEquals("dbeaver -con \"driver=postgresql|name=Verifull orders|host=laptop.tail1a2b.ts.net|port=6432|database=postgres"
                + "|user=alice|prop.sslmode=disable|connect=true\"", t.get(Kind.DBEAVER_COMMAND));
        assertEquals("host=laptop.tail1a2b.ts.net port=6432 dbname=postgres user=alice sslmode=disable", t.get(Kind.CONNINFO));
        assertEquals("export PGHOST=laptop.tail1a2b.ts.net\nexport PGPORT=6432\nexport PGDATABASE=postgres\n"
                + "export PGUSER=alice\nexport PGSSLMODE=disable", t.get(Kind.PG_ENV));
        assertEquals("[orders]\nhost=laptop.tail1a2b.ts.net\nport=6432\ndbname=postgres\nuser=alice\nsslmode=disable", t.get(Kind.PG_SERVICE));
        assertEquals("laptop.tail1a2b.ts.net:6432:postgres:alice:YOUR-PASSWORD", t.get(Kind.PGPASS));
        assertEquals("JDBC URL — DBeaver, IntelliJ, Java", all.get(3).label());
        assertEquals("URI — psql, node-postgres, pgx, Prisma, Rails, Django", all.get(1).label());
        assertEquals(Map.of("Host", "laptop.tail1a2b.ts.net", "Port", "6432", "Database", "postgres", "Username", "alice",
                "Driver property sslmode", "disable"), all.get(4).fields());
        assertTrue(all.stream().allMatch(ConnectionString::available));
    }

    @Test
    void onWindowsTheShellFormsArePowerShellAndCmd() {
        List<ConnectionString> all = ConnectionStrings.forProfile(profile().name("orders").defaultUser("o'hara x").build(),
                new ConnectionStrings.Target("127.0.0.1", 6432, ConnectionStrings.Platform.WINDOWS, null));
        Map<Kind, String> t = all.stream().collect(Collectors.toMap(ConnectionString::kind, ConnectionString::text));
        assertEquals("psql 'host=127.0.0.1 port=6432 dbname=postgres user=''o\\''hara x'' sslmode=disable'", t.get(Kind.PSQL_COMMAND));
        assertEquals("$env:PGHOST = '127.0.0.1'\n$env:PGPORT = '6432'\n$env:PGDATABASE = 'postgres'\n$env:PGUSER = 'o''hara x'\n"
                + "$env:PGSSLMODE = 'disable'", t.get(Kind.PG_ENV_POWERSHELL));
        assertEquals("set \"PGHOST=127.0.0.1\"\r\nset \"PGPORT=6432\"\r\nset \"PGDATABASE=postgres\"\r\nset \"PGUSER=o'hara x\"\r\n"
                + "set \"PGSSLMODE=disable\"", t.get(Kind.PG_ENV_CMD));
        assertTrue(all.stream().noneMatch(c -> c.kind() == Kind.PG_ENV), "no sh form on Windows");
        assertEquals("'\u2019\u2019'", ConnectionStrings.powerShellWord("\u2019"), "PowerShell takes typographic quotes as quotes too");
        assertTrue(all.stream().filter(c -> c.kind() == Kind.PG_SERVICE).findFirst().orElseThrow().note()
                .contains("%APPDATA%\\postgresql\\.pg_service.conf"));
    }

    @Test
    void formsThatCannotHoldANameSayWhyInsteadOfOfferingAString() {
        List<ConnectionString> all = ConnectionStrings.forProfile(profile().defaultDatabase("50% | ${x}").defaultUser("u").build(),
                new ConnectionStrings.Target("127.0.0.1", 6432, ConnectionStrings.Platform.WINDOWS, null));
        ConnectionString cmd = all.stream().filter(c -> c.kind() == Kind.PG_ENV_CMD).findFirst().orElseThrow();
        assertNull(cmd.text());
        assertEquals("cmd cannot set a dbname with \"%\" or a line break safely: use the PowerShell form.", cmd.note());
        ConnectionString dbeaver = all.stream().filter(c -> c.kind() == Kind.DBEAVER_COMMAND).findFirst().orElseThrow();
        assertNull(dbeaver.text());
        assertEquals("DBeaver's -con cannot hold a database with \"|\" or \"${\": use the settings above.", dbeaver.note());
        ConnectionString service = ConnectionStrings.forProfile(profile().defaultDatabase(" padded").build(), "127.0.0.1", 6432)
                .stream().filter(c -> c.kind() == Kind.PG_SERVICE).findFirst().orElseThrow();
        assertNull(service.text());
    }

    @Test
    void pgpassEscapesColonsAndBackslashesAndStarsWhatIsNotSet() {
        Map<Kind, String> t = texts(profile().defaultUser("a:b\\c").defaultDatabase(null), "fd7a::1", 6432);
        assertEquals("fd7a\\:\\:1:6432:*:a\\:b\\\\c:YOUR-PASSWORD", t.get(Kind.PGPASS));
    }

    @Test
    void theServiceNameIsTheProfileNameWithPlainCharacters() {
        assertEquals("orders-prod", ConnectionStrings.serviceName(profile().name("orders-prod").build()));
        assertEquals("prod-eu-db-", ConnectionStrings.serviceName(profile().name("prod eu/db!").build()));
    }

    @Test
    void sqlAlchemyTakesTheDatabaseAsItStandsAndADatabaseWithAQuestionMarkInTheQuery() {
        assertEquals("postgresql+psycopg://o%27h%3Ax@127.0.0.1:6432/my db 50%?sslmode=disable",
                texts(profile().defaultUser("o'h:x").defaultDatabase("my db 50%"), "127.0.0.1", 6432).get(Kind.SQLALCHEMY_URL));
        assertEquals("postgresql+psycopg://127.0.0.1:6432?sslmode=disable&dbname=what%3F",
                texts(profile().defaultUser(null).defaultDatabase("what?"), "127.0.0.1", 6432).get(Kind.SQLALCHEMY_URL));
    }

    @Test
    void theVerifyFullFormsComeOnlyWhenTheProfileOffersTlsToClients() {
        ConnectionStrings.Target local = new ConnectionStrings.Target("127.0.0.1", 6432, ConnectionStrings.Platform.UNIX, "/home/me/.config/verifull/local-ca/ca.pem");
        assertTrue(ConnectionStrings.forProfile(profile().defaultUser("alice").build(), local).stream()
                .noneMatch(c -> c.kind() == Kind.PSQL_VERIFY_FULL || c.kind() == Kind.JDBC_VERIFY_FULL));
        Map<Kind, String> t = ConnectionStrings.forProfile(profile().defaultUser("alice").offerClientTls(true).build(), local).stream()
                .collect(Collectors.toMap(ConnectionString::kind, ConnectionString::text));
        assertEquals("psql \"host=127.0.0.1 port=6432 dbname=postgres user=alice sslmode=verify-full "
                + "sslrootcert=/home/me/.config/verifull/local-ca/ca.pem channel_binding=disable\"", t.get(Kind.PSQL_VERIFY_FULL));
        assertEquals("jdbc:postgresql://127.0.0.1:6432/postgres?user=alice&sslmode=verify-full"
                + "&sslrootcert=%2Fhome%2Fme%2F.config%2Fverifull%2Flocal-ca%2Fca.pem&channelBinding=disable", t.get(Kind.JDBC_VERIFY_FULL));
        Map<Kind, String> tailscale = ConnectionStrings.forProfile(profile().defaultUser("alice").offerClientTls(true).build(),
                new ConnectionStrings.Target("laptop.tail1a2b.ts.net", 5432, ConnectionStrings.Platform.UNIX, "system")).stream()
                .collect(Collectors.toMap(ConnectionString::kind, ConnectionString::text));
        assertTrue(tailscale.get(Kind.PSQL_VERIFY_FULL).contains("sslrootcert=system"));
        assertTrue(tailscale.get(Kind.JDBC_VERIFY_FULL).contains("sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory"));
    }

    @Test
    void whatAStringLacksToWork() {
        assertEquals(List.of("database user"), ConnectionStrings.missing(profile().defaultUser(null).build()));
        assertEquals(List.of("database", "database user"), ConnectionStrings.missing(profile().defaultDatabase("").defaultUser(null).build()));
        assertEquals(List.of(), ConnectionStrings.missing(profile().defaultUser("alice").build()));
    }

    @Test
    void thePasteParserReadsBackWhatIsCopied() {
        String user = "ann o'hara \"q\" $HOME\\x @%&+=/?#:";
        String db = "it's \"my db\" 50%&a+b=c/d?e#f\\g";
        Map<Kind, String> t = texts(profile().defaultUser(user).defaultDatabase(db), "fd7a:115c:a1e0::1", 6432);
        for (Kind kind : List.of(Kind.LIBPQ_URI, Kind.JDBC_URL, Kind.CONNINFO)) {
            PastedConnection back = ConnectionStringParser.parse(t.get(kind));
            assertEquals(user, back.user(), kind.toString());
            assertEquals(db, back.database(), kind.toString());
            assertEquals("fd7a:115c:a1e0::1", back.host(), kind.toString());
            assertEquals(6432, back.port(), kind.toString());
        }
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
