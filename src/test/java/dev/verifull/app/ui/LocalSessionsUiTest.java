package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import dev.verifull.app.TestTools;
import dev.verifull.app.audit.AuditRow;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.sessions.SessionRow;
import dev.verifull.connect.ConnectionString;
import dev.verifull.connect.ConnectionStrings;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import javafx.scene.control.Button;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.input.Clipboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local-only profile end to end through the window: start it from the list, connect with pgJDBC,
 * watch the session row (the local user as identity), end it from the context menu, read the audit
 * view, export it, copy every connection string and use it, stop.
 */
class LocalSessionsUiTest {
    @TempDir Path base;
    private FxHarness app;
    private PgServer pg;
    private int listenPort;

    @BeforeEach
    void start() throws Exception {
        pg = PgServer.shared(17, PgServer.Options.tls());
        ProfileStore store = ProfileStore.open(AppDataDir.profiles(base));
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            listenPort = s.getLocalPort();
        }
        store.save(List.of(new Profile("orders", "localhost", pg.port(), null, List.of(TestCa.shared().caFile().toString()),
                false, null, null, false, false, listenPort, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null,
                "postgres", PgServer.SCRAM_USER, false, "jdk", 200, 0, 0)));
        app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base));
        app.waitUntil(() -> app.services.library().items().size() == 1);
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private EngineStatus status() throws Exception {
        return app.fx(() -> app.services.library().find("orders").orElseThrow().status().status());
    }

    private Connection connect(String application) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", PgServer.SCRAM_USER);
        p.setProperty("password", PgServer.PASSWORD);
        p.setProperty("sslmode", "disable");
        p.setProperty("ApplicationName", application);
        p.setProperty("assumeMinServerVersion", "12"); // sends application_name in the startup packet
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + listenPort + "/postgres", p);
    }

    @Test
    void startConnectSeeTheSessionEndItReadTheAuditStop() throws Exception {
        app.robot.clickOn("#toggle-orders");
        app.waitUntil(() -> status() == EngineStatus.RUNNING);

        TableView<SessionRow> table = app.lookup("#sessions-table");
        try (Connection c = connect("report-tool")) {
            long connected = System.nanoTime();
            app.fx(() -> app.window.controller().showSessions());
            // A poll between the StartupMessage and ReadyForQuery shows the row as "starting" first;
            // the next poll (500 ms) shows it logged in.
            app.waitUntil(() -> table.getItems().stream().anyMatch(r -> r.live() && "authenticated".equals(r.outcome())));
            assertTrue(System.nanoTime() - connected < TimeUnit.SECONDS.toNanos(3), "the row shows within the poll interval");
            SessionRow row = app.fx(() -> table.getItems().get(0));
            assertEquals("orders", row.profile());
            assertEquals(System.getProperty("user.name"), row.tailscaleUser(), "local-only: the local user");
            assertEquals("this computer", row.machine());
            assertEquals(PgServer.SCRAM_USER, row.databaseUser());
            assertEquals("postgres", row.database());
            assertEquals("report-tool", row.application());
            assertEquals("plaintext", row.clientTls());
            assertEquals("TLSv1.3", row.upstreamTls());
            assertEquals("authenticated", row.outcome());
            Duration first = row.duration();
            app.waitUntil(() -> table.getItems().get(0).duration().compareTo(first.plusMillis(900)) > 0);

            // right-click the row: End session
            // Monocle's robot does not turn a right click into a context-menu request, so the request is sent as the platform would
            javafx.scene.control.ContextMenu menu = app.fx(() -> {
                TableRow<?> liveRow = table.lookupAll(".table-row-cell").stream().map(n -> (TableRow<?>) n)
                        .filter(r -> r.getItem() != null && ((SessionRow) r.getItem()).live()).findFirst().orElseThrow();
                javafx.geometry.Bounds b = liveRow.localToScreen(liveRow.getBoundsInLocal());
                javafx.event.Event.fireEvent(liveRow, new javafx.scene.input.ContextMenuEvent(
                        javafx.scene.input.ContextMenuEvent.CONTEXT_MENU_REQUESTED, 20, 10, b.getMinX() + 20, b.getMinY() + 10,
                        false, null));
                return liveRow.getContextMenu();
            });
            app.waitUntil(menu::isShowing);
            app.robot.clickOn("End session");
            app.waitUntil(() -> table.getItems().stream().noneMatch(SessionRow::live));
            assertThrows(SQLException.class, () -> {
                try (ResultSet rs = c.createStatement().executeQuery("select 1")) {
                    rs.next();
                }
            }, "the session was ended");
        }

        // the audit view, newest first, and its CSV export
        app.fx(() -> app.window.controller().showAudit());
        TableView<AuditRow> audit = app.lookup("#audit-table");
        app.waitUntil(() -> audit.getItems().size() >= 2);
        assertEquals("end", app.fx(() -> audit.getItems().get(0).kind()));
        assertEquals("start", app.fx(() -> audit.getItems().get(audit.getItems().size() - 1).kind()));
        Path csv = base.resolve("export.csv");
        app.filesToPick.add(csv);
        app.robot.clickOn("#exportButton");
        app.waitUntil(() -> Files.exists(csv));
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertTrue(lines.get(0).startsWith("time,event,session,engine"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.contains("session.end") && l.contains("report-tool")), String.join("\n", lines));
        app.robot.clickOn("#openFolderButton");
        app.waitUntil(() -> AppDataDir.audit(base).equals(app.openedFolders.peek()));

        app.fx(() -> app.window.controller().showProfiles());
        app.robot.clickOn("#toggle-orders");
        app.waitUntil(() -> status() == EngineStatus.STOPPED);
    }

    /** The application name is the client's to choose: the table and the detail strip show its control characters escaped. */
    @Test
    void clientChosenNamesAreShownEscaped() throws Exception {
        app.fx(() -> app.services.library().start("orders"));
        app.waitUntil(() -> status() == EngineStatus.RUNNING);
        String forged = "\u001b[31mtool\n2026-03-01 10:00:00 forged row\u2028";
        String shown = "\\x1b[31mtool\\n2026-03-01 10:00:00 forged row\\u2028";
        TableView<SessionRow> table = app.lookup("#sessions-table");
        try (Connection c = connect(forged)) {
            app.fx(() -> app.window.controller().showSessions());
            app.waitUntil(() -> table.getItems().stream().anyMatch(SessionRow::live));
            app.waitUntil(() -> shown.equals(cellText(table, "col-application")));
            app.fx(() -> table.getSelectionModel().select(0));
            javafx.scene.control.Label title = app.lookup("#detailTitle");
            javafx.scene.control.Label detail = app.lookup("#detailText");
            app.waitUntil(title::isVisible);
            assertTrue(app.fx(() -> detail.getText().chars().noneMatch(ch -> ch == 0x1b || ch == 0x2028)), detail.getText());
        }
    }

    private String cellText(TableView<SessionRow> table, String columnId) throws Exception {
        return app.fx(() -> table.lookupAll(".table-cell").stream()
                .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                .filter(cell -> cell.getTableColumn() != null && columnId.equals(cell.getTableColumn().getId())
                        && cell.getItem() != null)
                .map(javafx.scene.control.TableCell::getText).findFirst().orElse(null));
    }

    @Test
    void everyCopiedConnectionStringConnects() throws Exception {
        app.fx(() -> app.services.library().start("orders"));
        app.waitUntil(() -> status() == EngineStatus.RUNNING);
        Profile profile = app.fx(() -> app.services.library().find("orders").orElseThrow().profile());
        for (ConnectionString expected : ConnectionStrings.forProfile(profile, "127.0.0.1", listenPort)) {
            Button copy = app.lookup("#copy-" + expected.kind());
            app.robot.clickOn(copy);
            app.waitUntil(() -> copy.getText().startsWith("Copied"));
            String pasted = app.fx(() -> Clipboard.getSystemClipboard().getString());
            assertEquals(expected.text(), pasted, expected.label());
            assertEquals(PgServer.SCRAM_USER + "|postgres", use(expected.kind(), pasted), expected.label());
        }
    }

    /** Pastes the text where it belongs and runs a query through the engine. */
    private String use(ConnectionString.Kind kind, String text) throws Exception {
        String query = "select current_user || '|' || current_database()";
        switch (kind) {
            case JDBC_URL -> {
                Properties p = new Properties();
                p.setProperty("password", PgServer.PASSWORD);
                try (Connection c = DriverManager.getConnection(text, p); ResultSet rs = c.createStatement().executeQuery(query)) {
                    rs.next();
                    return rs.getString(1);
                }
            }
            case LIBPQ_URI, CONNINFO -> {
                Psql.Result r = Psql.system().withPassword(PgServer.PASSWORD).run(text, query, Duration.ofSeconds(30));
                assertTrue(r.ok(), r.toString());
                return r.out();
            }
            case PSQL_COMMAND -> {
                return sh(text + " -X -A -t -w -c \"" + query + "\"");
            }
            case PG_ENV -> {
                return sh(text + "\npsql -X -A -t -w -c \"" + query + "\"");
            }
            default -> throw new IllegalArgumentException(kind.toString());
        }
    }

    private String sh(String script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("PG"));
        env.put("PGPASSWORD", PgServer.PASSWORD);
        env.put("PGPASSFILE", base.resolve("no-pgpass").toString());
        env.put("PATH", Psql.psqlBinary().getParent() + File.pathSeparator + env.getOrDefault("PATH", "/usr/bin:/bin"));
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), script + "\n" + out);
        return out;
    }
}
