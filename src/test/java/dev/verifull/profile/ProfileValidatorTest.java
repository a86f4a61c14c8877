package dev.verifull.profile;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import dev.verifull.profile.ProfileValidator.Field;
import dev.verifull.tailnet.AccessRules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileValidatorTest {
    @TempDir
    Path dir;

    private static Map<Field, String> validate(ProfileBuilder b, String... others) {
        return ProfileValidator.validate(b.build(), List.of(others));
    }

    private static String message(ProfileBuilder b, Field field) {
        return validate(b).get(field);
    }

    @Test
    void aSensibleProfileIsValid() {
        assertEquals(Map.of(), validate(profile(), "staging"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 8})
    void warmUpstreamCountsFromOffToEightAreValid(int count) {
        assertNull(message(profile().warmUpstreams(count), Field.WARM_UPSTREAMS));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 9, 100})
    void warmUpstreamCountsOutsideTheRangeSayWhy(int count) {
        assertEquals("Keep 0–8 connections ready: each one holds a server connection slot",
                message(profile().warmUpstreams(count), Field.WARM_UPSTREAMS));
    }

    @Test
    void aNewBlankProfileKeepsNoWarmConnections() {
        assertEquals(0, Profile.blank("new", 6432).warmUpstreams());
        assertEquals(3, profile().warmUpstreams(3).build().withName("renamed").warmUpstreams(), "a rename keeps it");
    }

    @Test
    void aNewBlankProfileSaysWhatIsMissing() {
        Map<Field, String> problems = ProfileValidator.validate(Profile.blank("", 6432), List.of());
        assertEquals("Name is required", problems.get(Field.NAME));
        assertEquals("Host is required", problems.get(Field.UPSTREAM_HOST));
        assertEquals("Add at least one CA file, or use the system trust store", problems.get(Field.CA_FILES));
        assertEquals(List.of(Field.NAME, Field.UPSTREAM_HOST, Field.CA_FILES), List.copyOf(problems.keySet()),
                "in field order");
    }

    @Test
    void namesAreUniqueIgnoringCase() {
        assertEquals("Another profile is already called 'prod'", validate(profile().name("PROD"), "staging", "prod").get(Field.NAME));
        assertNull(validate(profile().name("prod2"), "prod").get(Field.NAME));
        assertEquals("Name must not start or end with a space", message(profile().name(" prod"), Field.NAME));
        assertTrue(message(profile().name("x".repeat(65)), Field.NAME).startsWith("Name is too long"));
        assertEquals("Name contains a control character", message(profile().name("a\tb"), Field.NAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"db.example.com", "localhost", "10.0.0.5", "::1", "[::1]", "fe80::1%eth0", "my_db-1.internal",
            "db.example.com.", "machine.tail1a2b.ts.net", "::ffff:10.0.0.1"})
    void goodHosts(String host) {
        assertNull(message(profile().upstream(host, 5432), Field.UPSTREAM_HOST), host);
    }

    @Test
    void badHostsSayWhy() {
        assertEquals("Host name or IP address contains spaces", message(profile().upstream("db example.com", 5432), Field.UPSTREAM_HOST));
        assertEquals("Enter only the host name, without postgresql:// or other prefixes",
                message(profile().upstream("postgresql://db", 5432), Field.UPSTREAM_HOST));
        assertEquals("Put the port in the port field, not after the host", message(profile().upstream("db:5432", 5432), Field.UPSTREAM_HOST));
        assertEquals("Not a valid IPv4 address", message(profile().upstream("10.0.0.256", 5432), Field.UPSTREAM_HOST));
        assertEquals("Not a valid IPv6 address", message(profile().upstream("fe80::1::2", 5432), Field.UPSTREAM_HOST));
        assertEquals("Host name has an empty part (two dots in a row?)", message(profile().upstream("db..example", 5432), Field.UPSTREAM_HOST));
        assertEquals("Host names use letters, digits, dashes and dots", message(profile().upstream("db!.example", 5432), Field.UPSTREAM_HOST));
        assertEquals("Host name or IP address contains spaces", message(profile().serverName("a b"), Field.SERVER_NAME));
    }

    @Test
    void portsAreInRange() {
        assertEquals("Port must be 1–65535", message(profile().upstream("db", 70000), Field.UPSTREAM_PORT));
        assertEquals("Port must be 1–65535", message(profile().listenPort(0), Field.LISTEN_PORT));
        assertNull(message(profile().listenPort(65535), Field.LISTEN_PORT));
    }

    @Test
    void caFilesMustExistUnlessTheSystemTrustStoreIsUsed() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "x");
        assertNull(message(profile().ca(ca), Field.CA_FILES));
        assertEquals("Add at least one CA file, or use the system trust store", message(profile().caFiles(List.of()), Field.CA_FILES));
        assertEquals("CA file " + dir.resolve("gone.pem") + " does not exist", message(profile().ca(ca, dir.resolve("gone.pem")), Field.CA_FILES));
        assertEquals("CA file " + dir + " is a folder, not a file", message(profile().ca(dir), Field.CA_FILES));
        assertNull(message(profile().caFiles(List.of("/gone.pem")).systemTrust(true), Field.CA_FILES),
                "CA files are ignored with the system trust store");
    }

    @Test
    void anUnreadableFileIsNamed() throws Exception {
        Path ca = Files.writeString(dir.resolve("secret.pem"), "x");
        Files.setPosixFilePermissions(ca, PosixFilePermissions.fromString("---------"));
        if (Files.isReadable(ca)) return; // running as root: everything is readable
        assertEquals("CA file " + ca + " cannot be read (permission denied)", message(profile().ca(ca), Field.CA_FILES));
    }

    @Test
    void clientCertificateAndKeyGoTogether() throws Exception {
        Path cert = Files.writeString(dir.resolve("c.pem"), "x");
        Path key = Files.writeString(dir.resolve("c.key"), "x");
        assertEquals(Map.of(), validate(profile().clientCertificate(cert.toString(), key.toString())));
        Map<Field, String> onlyCert = validate(profile().clientCertificate(cert.toString(), null));
        assertTrue(onlyCert.get(Field.CLIENT_KEY).startsWith("Client certificate and key go together"), onlyCert.toString());
        assertNull(onlyCert.get(Field.CLIENT_CERTIFICATE));
        Map<Field, String> onlyKey = validate(profile().clientCertificate("", key.toString()));
        assertTrue(onlyKey.get(Field.CLIENT_CERTIFICATE).startsWith("Client certificate and key go together"), onlyKey.toString());
        assertEquals("Client key " + dir.resolve("nope") + " does not exist",
                validate(profile().clientCertificate(cert.toString(), dir.resolve("nope").toString())).get(Field.CLIENT_KEY));
    }

    @Test
    void accessRulesHaveTailscaleShapes() {
        ProfileBuilder rules = profile().binding(Profile.Binding.TAILNET).allowUsers("alice@example.com", "*@corp.example", "Bob@GitHub")
                .allowTags("tag:ci", "tag:prod-db2", "server").allowCapability("verifull.dev/cap/postgres");
        assertEquals(Map.of(), validate(rules));
        AccessRules.forProfile(rules.build()); // what the editor accepts, the engine accepts

        assertEquals("User rules are login names (alice@example.com) or *@domain ('alice' is not)",
                message(profile().allowUsers("alice"), Field.ALLOW_USERS));
        for (String bad : new String[] {"a@b@c", "*@*", "al ice@example.com", "@example.com", "alice@", "a*@example.com"}) {
            assertTrue(message(profile().allowUsers(bad), Field.ALLOW_USERS).startsWith("User rules are"), bad);
        }
        assertEquals("Tags look like tag:name ('tag:' is not)", message(profile().allowTags("tag:"), Field.ALLOW_TAGS));
        assertTrue(message(profile().allowTags("tag:a b"), Field.ALLOW_TAGS).startsWith("Tags look like tag:name"));
        assertTrue(message(profile().allowTags("tag:a,b"), Field.ALLOW_TAGS).startsWith("Tags look like tag:name"));
        assertEquals("Capability names look like verifull.dev/cap/postgres",
                message(profile().allowCapability("verifull"), Field.ALLOW_CAPABILITY));
        assertNull(message(profile().binding(Profile.Binding.TAILNET), Field.ALLOW_USERS),
                "no rules is valid: any identified tailnet peer (docs/tailscale.md)");
    }

    @Test
    void defaultDatabaseAndUserAreOptionalPostgresIdentifiers() {
        assertNull(message(profile().defaultDatabase(null), Field.DEFAULT_DATABASE));
        assertNull(message(profile().defaultDatabase("my \"odd\" db's name"), Field.DEFAULT_DATABASE));
        assertEquals("Database name is too long (PostgreSQL keeps at most 63 bytes)",
                message(profile().defaultDatabase("é".repeat(32)), Field.DEFAULT_DATABASE));
        assertEquals("User name contains a control character", message(profile().defaultUser("a\nb"), Field.DEFAULT_USER));
    }

    @Test
    void providerAndSessionLimit() {
        assertEquals("Unknown TLS provider 'gnutls' (use auto, jdk, bc or openssl)", message(profile().tlsProvider("gnutls"), Field.TLS_PROVIDER));
        assertNull(message(profile().tlsProvider("bc"), Field.TLS_PROVIDER));
        assertNull(message(profile().tlsProvider("auto"), Field.TLS_PROVIDER));
        assertEquals("Maximum sessions must be 1–10000", message(profile().maxSessions(10_001), Field.MAX_SESSIONS));
    }
}
