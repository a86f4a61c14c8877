package dev.verifull.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

import com.google.gson.JsonParser;

import dev.verifull.testing.EngineHarness;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;

/**
 * Interop against the official {@code postgres} images 12 to 18, with TLS and SCRAM as a managed
 * database has them, through Verifull; and the container image ({@code ./mvnw -Pimage package})
 * in front of PostgreSQL 17. Needs a Docker engine: without one every test here is skipped with
 * one reason (the embedded PostgreSQL tests are what runs everywhere). The docker-interop
 * workflow runs it on GitHub's Ubuntu runners with {@code VERIFULL_REQUIRE_DOCKER=true}, which
 * turns a missing engine or image into a failure instead of a skip.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerInteropTest {
    private static final String PASSWORD = "interop-secret";
    private static final boolean REQUIRED = Boolean.parseBoolean(System.getenv("VERIFULL_REQUIRE_DOCKER"));

    @TempDir
    Path dir;

    private static final String NO_DOCKER = "no Docker engine here: the interop suite against postgres:12-18 containers "
            + "and the container image is skipped (it runs in the docker-interop workflow)";

    private static boolean docker() {
        boolean available = DockerClientFactory.instance().isDockerAvailable();
        if (REQUIRED) assertTrue(available, "VERIFULL_REQUIRE_DOCKER is set but no Docker engine answers");
        return available;
    }

    /** The one line a machine without Docker reports: this test, skipped, with the reason. */
    @Test
    void dockerEngine() {
        assumeTrue(docker(), NO_DOCKER);
    }

    /** One test per image where Docker runs; none without it (dockerEngine says why). */
    @TestFactory
    Stream<DynamicTest> officialImagesAndTheContainerImage() {
        if (!docker()) return Stream.empty();
        return Stream.concat(
                IntStream.rangeClosed(12, 18).mapToObj(major -> DynamicTest.dynamicTest("postgres:" + major,
                        () -> clientsThroughVerifullToTheOfficialImage(major))),
                Stream.of(DynamicTest.dynamicTest("the container image in front of postgres:17",
                        this::theContainerImageInFrontOfPostgres17)));
    }

    /**
     * postgres:MAJOR with TLS (the test CA's certificate for localhost) and SCRAM passwords. The key
     * is handed over root-owned and copied to the postgres user before the image's entrypoint runs,
     * since PostgreSQL reads it as that user.
     */
    private static GenericContainer<?> postgres(int major) throws IOException {
        TestCa ca = TestCa.shared();
        String start = "mkdir -p /tls && cp /tls-in/* /tls/ && chown -R postgres /tls && chmod 600 /tls/server.key"
                + " && exec docker-entrypoint.sh postgres -c ssl=on -c ssl_cert_file=/tls/server.pem"
                + " -c ssl_key_file=/tls/server.key -c password_encryption=scram-sha-256";
        return new GenericContainer<>(DockerImageName.parse("postgres:" + major))
                .withEnv("POSTGRES_PASSWORD", PASSWORD)
                .withEnv("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=trust")
                .withCopyToContainer(Transferable.of(Files.readAllBytes(ca.serverCertFile()), 0644), "/tls-in/server.pem")
                .withCopyToContainer(Transferable.of(Files.readAllBytes(ca.serverKeyFile()), 0600), "/tls-in/server.key")
                .withCreateContainerCmdModifier(cmd -> cmd.withEntrypoint("sh", "-c", start))
                .withExposedPorts(5432)
                .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 2)
                        .withStartupTimeout(Duration.ofMinutes(3)));
    }

    private static void assertQueryThrough(String host, int port, String params, int major) throws SQLException {
        String url = "jdbc:postgresql://" + host + ":" + port + "/postgres?" + params + "&assumeMinServerVersion=12";
        try (Connection c = DriverManager.getConnection(url, "postgres", PASSWORD);
             ResultSet rs = c.createStatement().executeQuery(
                     "select current_setting('server_version_num')::int / 10000, ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertTrue(rs.next());
            assertEquals(major, rs.getInt(1), params);
            assertTrue(rs.getBoolean(2), "the upstream leg is TLS (" + params + ")");
        }
    }

    void clientsThroughVerifullToTheOfficialImage(int major) throws Exception {
        try (GenericContainer<?> pg = postgres(major)) {
            pg.start();
            // The container's port is published on the Docker host; the certificate names localhost.
            try (EngineHarness verifull = EngineHarness.builder(dir.resolve("pg" + major), pg.getMappedPort(5432))
                    .upstreamHost(pg.getHost()).serverName("localhost").ca(TestCa.shared().caFile()).start()) {
                for (String params : new String[] {"sslmode=disable", "sslmode=require",
                        "sslmode=verify-full&sslrootcert=" + verifull.localCaFile()}) {
                    assertQueryThrough("127.0.0.1", verifull.port(), params, major);
                }
                Psql.Result r = Psql.system().withPassword(PASSWORD).run("host=127.0.0.1 port=" + verifull.port()
                        + " user=postgres dbname=postgres sslmode=prefer", "select 'psql-' || current_setting('server_version_num')",
                        Duration.ofSeconds(30));
                assertTrue(r.ok() && r.out().startsWith("psql-" + major), r.toString());
            }
            if (major >= 17) { // PostgreSQL 17's direct TLS towards the server
                try (EngineHarness direct = EngineHarness.builder(dir.resolve("direct" + major), pg.getMappedPort(5432))
                        .upstreamHost(pg.getHost()).serverName("localhost").ca(TestCa.shared().caFile()).directTls(true).start()) {
                    assertQueryThrough("127.0.0.1", direct.port(), "sslmode=disable", major);
                }
            }
            // Another CA: refused before a byte of the login reaches the server.
            TestCa other = TestCa.create();
            try (EngineHarness wrongCa = EngineHarness.builder(dir.resolve("wrong" + major), pg.getMappedPort(5432))
                    .upstreamHost(pg.getHost()).serverName("localhost").ca(other.caFile()).start()) {
                SQLException e = assertThrows(SQLException.class,
                        () -> assertQueryThrough("127.0.0.1", wrongCa.port(), "sslmode=disable", major));
                assertEquals("08001", e.getSQLState(), e.getMessage());
            }
        }
    }

    void theContainerImageInFrontOfPostgres17() throws Exception {
        Path tar = Path.of("target/verifull-image.tar");
        Path jibJson = Path.of("target/jib-image.json");
        boolean built = Files.isRegularFile(tar) && Files.isRegularFile(jibJson);
        if (REQUIRED) assertTrue(built, "no image: run ./mvnw -Pimage package -Dimage.format=Docker first");
        assumeTrue(built, "no container image in target/ (./mvnw -Pimage package -Dimage.format=Docker)");
        String image = JsonParser.parseString(Files.readString(jibJson)).getAsJsonObject().get("image").getAsString();
        try (InputStream in = Files.newInputStream(tar)) {
            DockerClientFactory.instance().client().loadImageCmd(in).exec();
        }
        String serveArgs = String.join("\n", "--listen 0.0.0.0:6432", "--upstream pg:5432",
                "--upstream-server-name localhost", "--upstream-ca /etc/verifull/upstream-ca.pem",
                "--audit-log /dev/stdout", "--instance docker-interop", "");
        try (Network net = Network.newNetwork();
             GenericContainer<?> pg = postgres(17).withNetwork(net).withNetworkAliases("pg");
             GenericContainer<?> verifull = new GenericContainer<>(DockerImageName.parse(image))
                     .withNetwork(net)
                     .withCopyToContainer(Transferable.of(Files.readAllBytes(TestCa.shared().caFile()), 0644), "/etc/verifull/upstream-ca.pem")
                     .withCopyToContainer(Transferable.of(serveArgs.getBytes(StandardCharsets.UTF_8), 0644), "/etc/verifull/serve.args")
                     .withCommand("@/etc/verifull/serve.args")
                     .withExposedPorts(6432)
                     .waitingFor(Wait.forLogMessage("verifull: listening on .*", 1).withStartupTimeout(Duration.ofMinutes(2)))) {
            pg.start();
            verifull.start();
            assertQueryThrough(verifull.getHost(), verifull.getMappedPort(6432), "sslmode=require", 17);
            String user = DockerClientFactory.instance().client().inspectContainerCmd(verifull.getContainerId()).exec().getConfig().getUser();
            assertEquals("65532:65532", user, "the image runs as its non-root user");
            String logs = verifull.getLogs();
            assertTrue(logs.contains("\"event\":\"session.end\"") && logs.contains("\"instance\":\"docker-interop\""), logs);
            assertTrue(!logs.contains("TLS provider auto"), "OpenSSL loads in the image: " + logs);
        }
    }
}
