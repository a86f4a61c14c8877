package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.verifull.app.TestTools;
import dev.verifull.app.profiles.ProfileItem;
import dev.verifull.app.profiles.ProfileState;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.sessions.SessionRow;
import dev.verifull.app.tray.OverallState;
import dev.verifull.app.tray.TrayController;
import dev.verifull.app.tray.TrayMenuModel;
import dev.verifull.engine.Outcome;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A profile whose upstream cannot be verified (the certificate does not carry its server name) is
 * not green: amber "Running — upstream not verified" in the list, the details and the tray, with
 * the error and Edit / Test again; fixed from there, saving says it applied and it turns green.
 * A click on a notification about a refused session opens that session.
 */
class ProfileTruthUiTest {
    @TempDir Path base;
    private FxHarness app;
    private TestTools tools;
    private int billingPort;

    @BeforeEach
    void start() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        int ordersPort;
        try (java.net.ServerSocket a = new java.net.ServerSocket(0); java.net.ServerSocket b = new java.net.ServerSocket(0)) {
            ordersPort = a.getLocalPort();
            billingPort = b.getLocalPort();
        }
        String ca = TestCa.shared().caFile().toString();
        ProfileStore store = ProfileStore.open(AppDataDir.profiles(base));
        store.save(List.of(
                new Profile("orders", "localhost", pg.port(), null, List.of(ca), false, null, null, false, false, ordersPort,
                        Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "postgres", "postgres", true, "jdk", 200, 0, 0),
                new Profile("billing", "127.0.0.1", pg.port(), "billing.db.internal", List.of(ca), false, null, null, false, false,
                        billingPort, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "postgres", "postgres", true, "jdk", 200, 0, 0)));
        tools = new TestTools(base);
        app = new FxHarness(base, ProfileStorage.of(store), tools);
        app.waitUntil(() -> app.services.library().items().stream().allMatch(i -> i.status().status() == EngineStatus.RUNNING));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private ProfileItem item(String name) throws Exception {
        return app.fx(() -> app.services.library().find(name).orElseThrow());
    }

    private Node cell(String name) {
        return app.robot.lookup((Node n) -> n.getStyleClass().contains("profile-cell") && n.getAccessibleText() != null
                && n.getAccessibleText().startsWith(name + ", ")).query();
    }

    private String text(String id) {
        return ((Label) app.lookup(id)).getText();
    }

    @Test
    void anUnverifiedUpstreamIsAmberEverywhereAndFixedFromTheDetails() throws Exception {
        app.waitUntil(() -> item("billing").state() == ProfileState.UNVERIFIED && item("orders").state() == ProfileState.RUNNING);

        // the list: an amber dot and the error instead of the route
        Node billing = cell("billing");
        assertTrue(app.fx(() -> billing.lookup(".dot").getStyleClass().contains("unverified")));
        assertTrue(app.fx(() -> ((Label) billing.lookup(".status-text")).getText().contains("name mismatch")));
        assertTrue(app.fx(() -> cell("orders").lookup(".dot").getStyleClass().contains("running")), "the good one is green");

        // the tray: amber icon, the profile's line says so and why
        TrayMenuModel tray = app.fx(() -> TrayController.model(app.services.traySources()));
        assertEquals(OverallState.UNVERIFIED, tray.state());
        assertTrue(tray.menu().stream().anyMatch(i -> i instanceof TrayMenuModel.Submenu s
                && s.label().equals("billing — Running — upstream not verified")), tray.menu().toString());

        // the details
        app.robot.clickOn(billing);
        app.waitUntil(() -> "Running — upstream not verified".equals(text("#statusPill")));
        assertTrue(app.lookup("#statusPill").getStyleClass().contains("unverified"));
        assertTrue(text("#errorTitle").startsWith("Upstream not verified since "), text("#errorTitle"));
        assertTrue(text("#errorText").contains("not valid for the name \"billing.db.internal\""), text("#errorText"));
        assertTrue(app.lookup("#fixEditButton").isVisible());

        // a client is refused meanwhile: nothing gets greener
        Psql.Result refused = Psql.system().run("host=127.0.0.1 port=" + billingPort + " user=postgres dbname=postgres sslmode=disable",
                "select 1", Duration.ofSeconds(30));
        assertFalse(refused.ok());

        // Test again checks now
        int tested = tools.testsRun.get();
        app.robot.clickOn("#testAgainButton");
        app.waitUntil(() -> tools.testsRun.get() > tested);
        app.waitUntil(() -> item("billing").upstream().lastTest() != null && !item("billing").upstream().lastTest().ok());

        // Use localhost as the server name: the editor, with the name set and tested
        app.waitUntil(() -> app.exists("#status-use-name-0"));
        assertEquals("Use localhost as the server name…", ((Button) app.lookup("#status-use-name-0")).getText());
        app.robot.clickOn("#status-use-name-0");
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        Parent editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
        assertEquals("localhost", app.fx(() -> ((TextField) editor.lookup("#serverNameField")).getText()));
        app.waitUntil(() -> editor.lookup("#test-ok") != null);
        app.robot.clickOn((Node) editor.lookup("#saveButton"));

        // saved while running: it says so once the engine runs with it, and turns green
        app.waitUntil(() -> text("#saveNote") != null && text("#saveNote").startsWith("Saved and applied at "));
        app.waitUntil(() -> item("billing").state() == ProfileState.RUNNING);
        app.waitUntil(() -> "Running".equals(text("#statusPill")));
        assertFalse(app.lookup("#errorBox").isVisible());
        assertEquals(OverallState.RUNNING, app.fx(() -> TrayController.model(app.services.traySources()).state()));

        // stopped afterwards: the note about the save no longer stands beside a stopped profile
        app.robot.clickOn("#startStopButton");
        app.waitUntil(() -> item("billing").status().status() == EngineStatus.STOPPED);
        app.waitUntil(() -> !app.lookup("#saveNote").isVisible());
    }

    @Test
    void testUpstreamFromTheDetailsMenuShowsTheChainOfARunningProfile() throws Exception {
        app.waitUntil(() -> item("orders").state() == ProfileState.RUNNING);
        app.robot.clickOn(cell("orders"));
        app.waitUntil(() -> "orders".equals(text("#nameLabel")));
        app.robot.clickOn("#moreButton");
        app.robot.clickOn("Test upstream…");
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        Parent editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
        app.waitUntil(() -> editor.lookup("#test-ok") != null);
        assertTrue(app.robot.from(editor).lookup("CERTIFICATE CHAIN THE SERVER SENT").tryQuery().isPresent());
    }

    @Test
    void aClickOnANotificationOpensTheRefusedSession() throws Exception {
        Psql.system().run("host=127.0.0.1 port=" + billingPort + " user=postgres dbname=postgres sslmode=disable", "select 1",
                Duration.ofSeconds(30));
        app.waitUntil(() -> app.services.sessions().snapshot().stream().anyMatch(r -> r.outcome() == Outcome.REFUSED));
        long id = app.services.sessions().snapshot().stream().filter(r -> r.outcome() == Outcome.REFUSED).findFirst().orElseThrow().id();
        app.fx(() -> {
            app.window.controller().showSessions();
            ((TextField) app.lookup("#filterField")).setText("something that hides it");
            app.window.controller().showProfiles();
        });
        // what the tray does on a click on the notification about it
        app.fx(() -> app.window.trayWindow().showSession("billing", id));
        TableView<SessionRow> table = app.lookup("#sessions-table");
        app.waitUntil(() -> table.isVisible() && table.getSelectionModel().getSelectedItem() != null);
        assertEquals(id, app.fx(() -> table.getSelectionModel().getSelectedItem().record().id()));
        assertEquals("", app.fx(() -> ((TextField) app.lookup("#filterField")).getText()), "the filter that hid it was cleared");
        assertTrue(app.fx(() -> app.lookup("#told-message").isVisible()), "its detail shows what the client was told");
    }
}
