package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;

import dev.verifull.app.TestTools;
import dev.verifull.app.audit.AuditRow;
import dev.verifull.app.audit.AuditViewModel;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.sessions.SessionRow;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.Psql;
import dev.verifull.testing.TestCa;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sessions table and the audit view as a user reads them after a good session and a refused
 * one: who (local), what the client was told (message, DETAIL, HINT), "—" for a refusal's
 * duration and bytes, the end time and reason, the server's process id; the audit view following
 * new records, filtered by kind and day, with the time zone on every time.
 */
class SessionsAndAuditUiTest {
    @TempDir Path base;
    private FxHarness app;
    private int ordersPort;
    private int billingPort;
    private final String me = System.getProperty("user.name");

    @BeforeEach
    void start() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        ordersPort = freePort();
        billingPort = freePort();
        String ca = TestCa.shared().caFile().toString();
        ProfileStore store = ProfileStore.open(AppDataDir.profiles(base));
        store.save(List.of(
                new Profile("orders", "localhost", pg.port(), null, List.of(ca), false, null, null, false, false, ordersPort,
                        Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "postgres", "postgres", true, "jdk", 200, 0, 0),
                // the certificate names localhost and 127.0.0.1, not this
                new Profile("billing", "127.0.0.1", pg.port(), "billing.db.internal", List.of(ca), false, null, null, false, false,
                        billingPort, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "postgres", "postgres", true, "jdk", 200, 0, 0)));
        app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base));
        app.waitUntil(() -> app.services.library().items().stream().allMatch(i -> i.status().status() == EngineStatus.RUNNING));
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private boolean shows(Node root, String fragment) {
        Predicate<Node> p = n -> n instanceof Label l && l.isVisible() && l.getText() != null && l.getText().contains(fragment);
        return app.robot.from(root).lookup(p).tryQuery().isPresent();
    }

    /** The laid-out row showing a matching item; waits for it, since rows are built on a later pulse than the items. */
    private TableRow<?> rowOf(TableView<?> table, Predicate<Object> item) throws Exception {
        java.util.concurrent.atomic.AtomicReference<TableRow<?>> found = new java.util.concurrent.atomic.AtomicReference<>();
        app.waitUntil(() -> {
            found.set(table.lookupAll(".table-row-cell").stream().map(n -> (TableRow<?>) n) // on the FX thread
                    .filter(r -> r.getItem() != null && item.test(r.getItem())).findFirst().orElse(null));
            return found.get() != null;
        });
        return found.get();
    }

    private String cellText(TableRow<?> row, String columnId) throws Exception {
        return app.fx(() -> row.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                .filter(c -> columnId.equals(c.getTableColumn().getId())).map(TableCell::getText).findFirst().orElse(null));
    }

    @Test
    void theSessionsPaneSaysWhoWhatTheClientWasToldAndHowItEnded() throws Exception {
        int pid;
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + ordersPort + "/postgres", p);
             ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
        }
        Psql.Result refused = Psql.system().run("host=127.0.0.1 port=" + billingPort + " user=postgres dbname=postgres sslmode=disable",
                "select 1", Duration.ofSeconds(30));
        assertFalse(refused.ok());
        String hintLine = refused.stderr().lines().filter(l -> l.startsWith("HINT:")).findFirst().orElseThrow();

        app.robot.clickOn("#sessionsNav");
        TableView<SessionRow> table = app.lookup("#sessions-table");
        app.waitUntil(() -> table.getItems().stream().filter(r -> !r.live()).count() == 2);

        // the refused connection
        TableRow<?> refusedRow = rowOf(table, r -> ((SessionRow) r).problem());
        assertEquals("local: " + me, cellText(refusedRow, "col-who"));
        assertEquals("—", cellText(refusedRow, "col-duration"), "a refusal has no duration");
        assertEquals("—", cellText(refusedRow, "col-to-server"));
        assertEquals("—", cellText(refusedRow, "col-to-client"));
        app.robot.clickOn(refusedRow);
        Node pane = app.lookup("#told-message").getParent();
        app.waitUntil(pane::isVisible);
        assertTrue(((Label) app.lookup("#told-message")).getText().startsWith("FATAL:  verifull: upstream 127.0.0.1:"));
        assertTrue(shows(pane, "DETAIL:  "), "the detail the client got");
        assertEquals(hintLine, ((Label) app.lookup("#told-hint")).getText().lines().findFirst().orElseThrow(),
                "the HINT, as psql printed it");
        assertTrue(((Label) app.lookup("#fact-ended")).getText().contains("(after "), "when it was refused");

        // the session that ran
        TableRow<?> endedRow = rowOf(table, r -> !((SessionRow) r).problem());
        assertEquals(Integer.toString(pid), cellText(endedRow, "col-pid"));
        assertEquals("local: " + me, cellText(endedRow, "col-who"));
        app.robot.clickOn(endedRow);
        app.waitUntil(() -> !app.lookup("#told-message").getParent().isVisible());
        SessionRow ended = app.fx(() -> table.getSelectionModel().getSelectedItem());
        assertTrue(((Label) app.lookup("#fact-ended")).getText().endsWith("— " + ended.record().endReason()),
                "the end time and why it ended");
        assertTrue(((Label) app.lookup("#fact-pid")).getText().startsWith(pid + " "), "the server's process id");
        assertTrue(((Label) app.lookup("#fact-bytes")).getText().contains("client → server"));
    }

    /** Who ended each session, from the audit record's ended_by, end_cause and end_sqlstate. */
    @Test
    void theAuditViewSaysWhoEndedEachSession() throws Exception {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("sslmode", "disable");
        String url = "jdbc:postgresql://127.0.0.1:" + ordersPort + "/postgres";
        int victim;
        try (Connection terminated = DriverManager.getConnection(url, p)) {
            try (ResultSet rs = terminated.createStatement().executeQuery("select pg_backend_pid()")) {
                rs.next();
                victim = rs.getInt(1);
            }
            // the server ends that session with FATAL 57P01; this one logs out normally (Terminate)
            try (Connection admin = DriverManager.getConnection(url, p);
                 ResultSet rs = admin.createStatement().executeQuery("select pg_terminate_backend(" + victim + ")")) {
                rs.next();
            }
        }
        new java.net.Socket("127.0.0.1", ordersPort).close(); // a client that just closes its socket

        app.robot.clickOn("#auditNav");
        TableView<AuditRow> audit = app.lookup("#audit-table");
        app.robot.clickOn("#followToggle");
        app.waitUntil(() -> audit.getItems().stream().filter(r -> r.kind().equals("end")).count() == 3);
        TableRow<?> serverEnded = rowOf(audit, r -> ((AuditRow) r).kind().equals("end")
                && ((AuditRow) r).backendPid().equals(Integer.toString(victim)));
        assertEquals("server · error 57P01", cellText(serverEnded, "audit-col-ended-by"));
        TableRow<?> loggedOut = rowOf(audit, r -> ((AuditRow) r).kind().equals("end") && !((AuditRow) r).backendPid().isEmpty()
                && !((AuditRow) r).backendPid().equals(Integer.toString(victim)));
        assertEquals("client · Terminate", cellText(loggedOut, "audit-col-ended-by"));
        TableRow<?> closed = rowOf(audit, r -> ((AuditRow) r).kind().equals("end") && ((AuditRow) r).backendPid().isEmpty());
        assertEquals("client · closed the connection", cellText(closed, "audit-col-ended-by"));
    }

    @Test
    void theAuditViewFollowsNewRecordsAndFiltersByKindAndDay() throws Exception {
        app.robot.clickOn("#auditNav");
        TableView<AuditRow> audit = app.lookup("#audit-table");
        app.robot.clickOn("#followToggle");
        Psql.system().run("host=127.0.0.1 port=" + billingPort + " user=postgres dbname=postgres sslmode=disable", "select 1",
                Duration.ofSeconds(30));
        // no reload pressed: following shows it
        app.waitUntil(() -> audit.getItems().stream().anyMatch(r -> r.kind().equals("refused")));
        TableRow<?> first = rowOf(audit, r -> true);
        assertTrue(cellText(first, "audit-col-time").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+"),
                "date, time and zone: " + cellText(first, "audit-col-time"));

        new java.net.Socket("127.0.0.1", ordersPort).close(); // a client that leaves: an end record without a start
        app.waitUntil(() -> audit.getItems().stream().anyMatch(r -> r.kind().equals("end")));

        ComboBox<AuditViewModel.EventFilter> kind = app.lookup("#kindFilter");
        app.robot.clickOn(kind);
        app.robot.clickOn(AuditViewModel.EventFilter.REFUSED.toString());
        app.waitUntil(() -> !audit.getItems().isEmpty() && audit.getItems().stream().allMatch(r -> r.kind().equals("refused")));

        DatePicker day = app.lookup("#dayPicker");
        app.fx(() -> day.setValue(LocalDate.now().minusDays(1)));
        app.waitUntil(() -> audit.getItems().isEmpty());
        app.robot.clickOn("#anyDayButton");
        app.waitUntil(() -> !audit.getItems().isEmpty());
        assertEquals(null, app.fx(day::getValue));
    }
}
