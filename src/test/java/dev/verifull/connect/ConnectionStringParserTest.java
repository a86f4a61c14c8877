package dev.verifull.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Pasted connection strings, read by libpq's rules (and pgJDBC's for JDBC URLs). */
class ConnectionStringParserTest {
    private static PastedConnection parse(String text) {
        return ConnectionStringParser.parse(text);
    }

    private static String problem(String text) {
        return assertThrows(IllegalArgumentException.class, () -> parse(text)).getMessage();
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.example.com", "10.0.0.5", "fd7a:115c:a1e0::1", "db.example.com:", "", "  "})
    void aHostAloneIsNotAConnectionString(String text) {
        assertNull(parse(text));
    }

    @Test
    void hostAndPortAreSplit() {
        PastedConnection c = parse(" db.example.com:6543 ");
        assertEquals("db.example.com", c.host());
        assertEquals(6543, c.port());
        assertEquals(List.of("host", "port"), c.filledParts());
        assertEquals("fd7a:115c:a1e0::1", parse("[fd7a:115c:a1e0::1]:5432").host());
        assertEquals("10.0.0.5", parse("10.0.0.5:5432").host());
        assertEquals("port 70000 is not 1–65535", problem("db.example.com:70000"));
    }

    @Test
    void aLibpqUriFillsEverythingButThePassword() {
        PastedConnection c = parse("postgresql://alice:s3cret@db.example.com:6543/orders?sslmode=verify-full&sslrootcert=/home/me/ca.pem");
        assertEquals("db.example.com", c.host());
        assertEquals(6543, c.port());
        assertEquals("orders", c.database());
        assertEquals("alice", c.user());
        assertEquals("/home/me/ca.pem", c.sslRootCert());
        assertNull(c.serverName());
        assertTrue(c.notes().get(0).startsWith("The password was left out"), c.notes().toString());
        assertTrue(c.toString().indexOf("s3cret") < 0, "the password is not kept anywhere");
    }

    @Test
    void uriPartsArePercentDecodedAndPlusStaysAPlus() {
        PastedConnection c = parse("postgres://ann%20o%27hara%40corp%3Ax@db.example.com/my%20db+1%2Fx");
        assertEquals("ann o'hara@corp:x", c.user());
        assertEquals("my db+1/x", c.database());
        assertNull(c.port(), "no port given: the editor keeps its own");
        assertEquals("caf\u00e9", parse("postgresql://caf%C3%A9@h/d").user());
        assertEquals("\"%4\" has an incomplete %-escape", problem("postgresql://h/%4"));
        assertEquals("\"%zz\" has an invalid %-escape", problem("postgresql://h/%zz"));
    }

    @Test
    void ipv6InBracketsAndSeveralHosts() {
        PastedConnection c = parse("postgresql://[2001:db8::5]:5433,db2.example.com:5434/app");
        assertEquals("2001:db8::5", c.host());
        assertEquals(5433, c.port());
        assertEquals("app", c.database());
        assertEquals(List.of("The string names 2 servers; the first is used. Make a profile for each server you need."), c.notes());
        assertEquals("an IPv6 address in the URI has no closing \"]\"", problem("postgresql://[2001:db8::5/app"));
    }

    @Test
    void uriQueryParametersOverrideAndHostaddrMakesTheHostTheServerName() {
        PastedConnection c = parse("postgresql:///app?host=db.internal&hostaddr=10.1.2.3&port=6000&user=bob");
        assertEquals("10.1.2.3", c.host(), "connect to the address ...");
        assertEquals("db.internal", c.serverName(), "... and check the certificate for the name");
        assertEquals(6000, c.port());
        assertEquals("bob", c.user());
    }

    @Test
    void aUnixSocketIsNotAServer() {
        assertTrue(problem("postgresql://%2Fvar%2Frun%2Fpostgresql/app").contains("is a Unix socket"));
        assertTrue(problem("host=/tmp dbname=app").contains("is a Unix socket"));
    }

    @Test
    void aJdbcUrlReadsAsPgJdbcReadsIt() {
        PastedConnection c = parse("jdbc:postgresql://db.example.com:5432/orders?user=ann+lee&password=x&sslmode=require");
        assertEquals("db.example.com", c.host());
        assertEquals("orders", c.database());
        assertEquals("ann lee", c.user(), "pgJDBC decodes + as a space");
        assertEquals(1, c.notes().size());
    }

    @Test
    void keyValueStringsWithQuotesEscapesAndSpacesAroundTheEqualsSign() {
        PastedConnection c = parse("host = db.example.com port=5433 dbname='my \\'db\\' \\\\x' user=ann\\ lee password='p w'");
        assertEquals("db.example.com", c.host());
        assertEquals(5433, c.port());
        assertEquals("my 'db' \\x", c.database());
        assertEquals("ann lee", c.user(), "a backslash escapes a space in an unquoted value");
        assertTrue(c.notes().get(0).startsWith("The password was left out"));
        assertEquals("the quoted value of \"dbname\" has no closing quote", problem("host=h dbname='x"));
        assertEquals("missing \"=\" after \"host\"", problem("host db.example.com dbname=x"));
        assertEquals("\"abc\" is not a port number", problem("host=h port=abc"));
    }

    @Test
    void keyValueWithSeveralHostsTakesTheFirstAndItsPort() {
        PastedConnection c = parse("host=a.example.com,b.example.com port=5433,5434 dbname=x");
        assertEquals("a.example.com", c.host());
        assertEquals(5433, c.port());
        assertEquals(1, c.notes().size());
    }

    @Test
    void aKeyGivenTwiceKeepsItsLastValueAsInLibpq() {
        assertEquals("second", parse("host=first host=second").host());
    }

    @Test
    void aServiceNameIsExplained() {
        PastedConnection c = parse("service=orders dbname=app");
        assertNull(c.host());
        assertEquals("It names the service \"orders\" from pg_service.conf: enter that service's host and port.", c.notes().get(0));
    }

    @Test
    void textWithNothingUsefulSaysSo() {
        assertEquals("it names no host, port, database or user", problem("sslmode=require"));
    }
}
