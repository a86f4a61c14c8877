package dev.verifull.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fixture itself: real servers of each version, TLS verified by pgJDBC, the password users, TLS-only. */
class PgServerTest {
    private static final String CA = TestCa.shared().caFile().toString();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 17, 18})
    void startsWithTlsThatPgJdbcVerifiesFully(int major) throws Exception {
        PgServer server = PgServer.shared(major, PgServer.Options.tls());
        assertEquals(major, server.majorVersion());
        assertTrue(server.serverVersion().startsWith(major + "."), server.serverVersion());
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres", "sslmode=verify-full", "sslrootcert=" + CA))) {
            assertEquals("on", value(c, "SHOW ssl"));
            assertEquals("t", value(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
            assertEquals(Integer.toString(major), value(c, "SELECT current_setting('server_version_num')::int / 10000"));
        }
        assertTrue(Files.isRegularFile(server.libDir().resolve("libpq.so.5")), server.libDir().toString());
        assertTrue(server.log().contains("connection authorized"), server.logTail(20));
    }

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 17, 18})
    void passwordUsersAuthenticate(int major) throws Exception {
        PgServer server = PgServer.shared(major, PgServer.Options.tls());
        for (String user : new String[] {PgServer.SCRAM_USER, PgServer.MD5_USER, PgServer.CLEARTEXT_USER}) {
            try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres", "user=" + user,
                    "password=" + PgServer.PASSWORD, "sslmode=verify-full", "sslrootcert=" + CA))) {
                assertEquals(user, value(c, "SELECT current_user"));
            }
        }
        SQLException wrong = assertThrows(SQLException.class, () -> DriverManager.getConnection(server.jdbcUrl("postgres",
                "user=" + PgServer.SCRAM_USER, "password=wrong", "sslmode=verify-full", "sslrootcert=" + CA)).close());
        assertEquals("28P01", wrong.getSQLState(), wrong.toString()); // invalid_password
        assertEquals("SCRAM-SHA-256",
                server.queryValue("SELECT left(rolpassword, 13) FROM pg_authid WHERE rolname = '" + PgServer.SCRAM_USER + "'"));
    }

    @Test
    void tlsOnlyServerRefusesPlaintext() throws Exception {
        PgServer server = PgServer.shared(17, PgServer.Options.tls().withTlsOnly());
        SQLException refused = assertThrows(SQLException.class,
                () -> DriverManager.getConnection(server.jdbcUrl("postgres", "sslmode=disable")).close());
        assertTrue(refused.getMessage().contains("no encryption"), refused.getMessage());
        try (Connection c = DriverManager.getConnection(server.jdbcUrl("postgres", "sslmode=verify-full", "sslrootcert=" + CA))) {
            assertEquals("t", value(c, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"));
        }
    }

    @Test
    void plainServerHasNoTls() throws Exception {
        try (PgServer server = PgServer.start(18, PgServer.Options.plain())) {
            assertEquals("off", server.queryValue("SHOW ssl"));
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(server.jdbcUrl("postgres", "sslmode=require")).close());
            assertTrue(refused.getMessage().contains("does not support SSL"), refused.getMessage());
        }
    }

    @Test
    void sharedServersAreReusedAndIgnoreClose() {
        PgServer a = PgServer.shared(17, PgServer.Options.tls());
        a.close();
        PgServer b = PgServer.shared(17, PgServer.Options.tls());
        assertTrue(a == b);
        assertEquals("1", b.queryValue("SELECT 1"));
        assertEquals("200", b.queryValue("SHOW max_connections"));
    }

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }
}
