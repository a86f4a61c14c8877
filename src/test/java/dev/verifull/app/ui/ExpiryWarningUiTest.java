package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.verifull.app.TestTools;
import dev.verifull.app.profiles.ProfileState;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestPki;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running profile whose CA expires in 12 days says so: in its list line (amber, instead of the
 * route) and in a box in its details, which stays while it runs; a profile with years left shows
 * nothing of the kind.
 */
class ExpiryWarningUiTest {
    @TempDir Path base;
    @TempDir Path files;
    private FxHarness app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) app.close();
    }

    @Test
    void aCaThatExpiresSoonIsAWarningOnTheProfile() throws Exception {
        Instant now = Instant.now();
        TestPki.Issued root = TestPki.ca("Expiring Root", null, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(12)).plusSeconds(3600));
        TestPki.Issued server = TestPki.server(root, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(11)), false, "localhost", "127.0.0.1");
        Path ca = root.writeCertificate(files.resolve("ca.pem"));
        try (PgServer pg = PgServer.start(17, PgServer.Options.plain().withTls(server.writeCertificate(files.resolve("s.crt")),
                server.writePkcs8Key(files.resolve("s.key"))))) {
            int port;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            ProfileStore store = ProfileStore.open(AppDataDir.profiles(base));
            store.save(List.of(new Profile("orders", "localhost", pg.port(), null, List.of(ca.toString()), false, null, null, false,
                    false, port, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "postgres", "postgres", true, "jdk", 200, 0, 0)));
            app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base));
            app.waitUntil(() -> app.fx(() -> app.services.library().find("orders").orElseThrow().state() == ProfileState.RUNNING));
            assertEquals(EngineStatus.RUNNING, app.fx(() -> app.services.library().find("orders").orElseThrow().status().status()));

            Node cell = app.robot.lookup((Node n) -> n.getStyleClass().contains("profile-cell") && n.getAccessibleText() != null
                    && n.getAccessibleText().startsWith("orders, ")).query();
            app.waitUntil(() -> app.fx(() -> ((Label) cell.lookup(".status-text")).getText().startsWith("The server's certificate expires in 10 days")));
            assertTrue(app.fx(() -> cell.lookup(".status-text").getStyleClass().contains("warn")));
            assertTrue(app.fx(() -> cell.lookup(".dot").getStyleClass().contains("running")), "still running: a warning, not an error");

            app.robot.clickOn(cell);
            app.waitUntil(() -> app.lookup("#expiryBox").isVisible());
            String title = app.fx(() -> ((Label) app.lookup("#expiryTitle")).getText());
            String text = app.fx(() -> ((Label) app.lookup("#expiryText")).getText());
            assertEquals("The server's certificate expires in 10 days (and 1 more)", title);
            assertTrue(text.contains("The upstream's certificate (O=Verifull Tests,CN=localhost) expires in 10 days"), text);
            assertTrue(text.contains("The CA certificate O=Verifull Tests,CN=Expiring Root in " + ca + " expires in 12 days"), text);
        }
    }
}
