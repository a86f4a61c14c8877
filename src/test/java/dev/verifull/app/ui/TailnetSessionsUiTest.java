package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;

import dev.verifull.app.TestTools;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.sessions.SessionRow;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.FakeLocalApi;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import javafx.scene.control.Label;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tailnet profile with the fake LocalAPI: the status line names the Tailscale user, sessions show
 * who connected from which machine, a denied device's row stands out.
 */
class TailnetSessionsUiTest {
    @TempDir Path base;
    private FakeLocalApi fake;
    private FxHarness app;
    private int port;

    @BeforeEach
    void start() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        fake = FakeLocalApi.startUnix(base.resolve("tailscaled"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(FakeLocalApi.SELF_IP))) {
            port = s.getLocalPort();
        }
        ProfileStore store = ProfileStore.open(AppDataDir.profiles(base));
        store.save(List.of(new Profile("orders", "localhost", pg.port(), null, List.of(TestCa.shared().caFile().toString()),
                false, null, null, false, false, port, Profile.Binding.TAILNET, List.of("alice@example.com"), List.of(), null,
                "postgres", "postgres", true, "jdk", 200, 0, 0)));
        app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base), new TailscaleServices(fake.client(), FakeLocalApi.ADDRESS_RANGES));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
        fake.close();
    }

    private static Connection connect(int port, String from) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        p.setProperty("localSocketAddress", from);
        p.setProperty("ApplicationName", "DBeaver");
        p.setProperty("assumeMinServerVersion", "12");
        return DriverManager.getConnection("jdbc:postgresql://" + FakeLocalApi.SELF_IP + ":" + port + "/postgres", p);
    }

    @Test
    void sessionsCarryTheTailscaleIdentityAndARefusalStandsOut() throws Exception {
        Label tailscale = app.lookup("#tailscaleText");
        app.waitUntil(() -> "Running as alice@example.com on verifull-host.tail1a2b3.ts.net".equals(tailscale.getText()));
        app.waitUntil(() -> app.services.library().find("orders").orElseThrow().status().status() == EngineStatus.RUNNING);
        Label jdbc = app.lookup("#connection-JDBC_URL");
        assertTrue(jdbc.getText().startsWith("jdbc:postgresql://verifull-host.tail1a2b3.ts.net:" + port + "/"), jdbc.getText());

        TableView<SessionRow> table = app.lookup("#sessions-table");
        app.fx(() -> app.window.controller().showSessions());
        try (Connection alice = connect(port, FakeLocalApi.ALICE_IP)) {
            SQLException denied = assertThrows(SQLException.class, () -> connect(port, FakeLocalApi.TAGGED_IP).close());
            assertEquals("28000", denied.getSQLState());
            // a live row can show before tailscaled's whois answer is in it (a busy machine): wait for both
            app.waitUntil(() -> table.getItems().size() == 2
                    && table.getItems().stream().filter(SessionRow::live).noneMatch(r -> r.tailscaleUser().isEmpty()));
            SessionRow live = app.fx(() -> table.getItems().stream().filter(SessionRow::live).findFirst().orElseThrow());
            assertEquals("alice@example.com", live.tailscaleUser());
            assertEquals("laptop", live.machine());
            assertEquals(FakeLocalApi.ALICE_MACHINE, live.fullMachine());
            SessionRow refused = app.fx(() -> table.getItems().stream().filter(SessionRow::problem).findFirst().orElseThrow());
            assertEquals("tag:ci", refused.tailscaleUser());
            assertEquals("access denied", refused.outcome());
            app.waitUntil(() -> table.lookupAll(".table-row-cell").stream()
                    .anyMatch(n -> n.getStyleClass().contains("problem") && ((TableRow<?>) n).getItem() instanceof SessionRow r
                            && r.record().id() == refused.record().id())); // every poll makes new rows while one is live
            Label badge = app.lookup("#liveBadge");
            app.waitUntil(() -> badge.isVisible() && "1".equals(badge.getText()));
        }
    }
}
