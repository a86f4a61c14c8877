package dev.verifull.app;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

import dev.verifull.app.profiles.FilePicker;
import dev.verifull.app.profiles.ProfileItem;
import dev.verifull.app.profiles.ProfileState;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.profiles.ProfileTools;
import dev.verifull.app.sessions.SessionRow;
import dev.verifull.app.tray.TrayController;
import dev.verifull.app.ui.Appearance;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.CertificateImporter;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.FakeLocalApi;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;

/**
 * Drives the real app through its main states and writes a PNG of each: run by
 * {@code docs/screenshots/take} under Xvfb. The upstream is an embedded PostgreSQL 17 with TLS;
 * Tailscale is the fake LocalAPI of the tests (alice's laptop and a tagged CI machine on loopback
 * addresses), so tailnet sessions carry real identities and one of them is refused.
 */
public final class ScreenshotTour {
    private final Path out;
    private final Path base;
    private AppServices services;
    private MainWindow window;
    private final List<Connection> open = new ArrayList<>();

    private ScreenshotTour(Path out, Path base) {
        this.out = out;
        this.base = base;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/screenshots");
        Files.createDirectories(out);
        Path base = Files.createTempDirectory("verifull-tour-");
        new ScreenshotTour(out, base).run();
        System.exit(0);
    }

    private void run() throws Exception {
        PgServer pg = PgServer.shared(17, PgServer.Options.tls());
        pg.execute("CREATE DATABASE orders; CREATE DATABASE analytics; CREATE DATABASE billing;");
        FakeLocalApi fake = FakeLocalApi.startUnix(base.resolve("tailscaled"));
        TailscaleServices tailscale = new TailscaleServices(fake.client(), FakeLocalApi.ADDRESS_RANGES);

        CompletableFuture<Void> up = new CompletableFuture<>();
        Platform.startup(() -> up.complete(null));
        up.get(30, TimeUnit.SECONDS);
        ProfileStorage storage = ProfileStorage.of(ProfileStore.open(AppDataDir.profiles(base)));
        services = new AppServices(base, storage, ProfileTools.forAppData(base), tailscale, () -> false, Platform::runLater);
        FilePicker noFiles = (owner, title, kind, name) -> null;
        fx(() -> {
            Stage stage = new Stage();
            window = new MainWindow(stage, services, noFiles, f -> {}, () -> {}, () -> false);
            stage.setX(0);
            stage.setY(32); // below the tray (trayer at the top, as docs/screenshots/take starts it): no window manager stacks them
            window.show();
            stage.setWidth(1280);
            stage.setHeight(800);
            services.library().load();
            TrayController.installLater(services.traySources(), window.trayWindow(), t -> System.out.println("tray icon installed"),
                    () -> System.out.println("no tray here"));
            return null;
        });
        waitFor(() -> fx(() -> services.library().loadedProperty().get()));
        waitFor(() -> fx(() -> services.tailscaleState().get().running()));
        pause(800);
        shot(window.stage().getScene(), "empty-state.png");

        // as the editor does: the CA file is copied into the app-data dir under a readable name
        Path download = Files.copy(TestCa.shared().caFile(), base.resolve("corp-root-ca.pem"));
        caDownload = "/home/alice/Downloads/corp-root-ca.pem"; // where the user chose it from, as the profile remembers it
        caFile = CertificateImporter.forAppData(base).importFile(download).toString();
        int ordersPort = 6432;
        Profile orders = profile("orders-prod", "localhost", pg.port(), null, Profile.Binding.TAILNET, ordersPort,
                List.of("alice@example.com"), "orders", "alice", true, 2, Profile.LOW_LATENCY_POLL_MICROS);
        Profile analytics = profile("analytics", "localhost", pg.port(), null, Profile.Binding.LOCAL_ONLY, 6433,
                List.of(), "analytics", "bob", true, 0, 0);
        Profile billing = profile("billing-legacy", "127.0.0.1", pg.port(), "billing.db.internal", Profile.Binding.LOCAL_ONLY,
                6434, List.of(), "billing", "carol", false, 0, 0);
        Profile staging = new Profile("staging", "staging-db.example.com", 5432, null, List.of(), true, null, null, true, false,
                6435, Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "app", "app", false, "jdk", 200, 0, 0);
        fx(() -> {
            for (Profile p : List.of(orders, analytics, billing, staging)) services.library().save(p, null);
            for (String n : List.of("orders-prod", "analytics", "billing-legacy")) services.library().start(n);
            return null;
        });
        waitFor(() -> fx(() -> services.library().items().stream().filter(i -> i.status().status() == EngineStatus.RUNNING).count() == 3));

        // sessions: alice from her laptop (live and ended), the CI machine (refused), local users, a name mismatch
        Connection aliceLive = connect(FakeLocalApi.SELF_IP, ordersPort, FakeLocalApi.ALICE_IP, "orders", "alice", "DBeaver 24.1");
        workload(aliceLive);
        open.add(aliceLive);
        try (Connection c = connect(FakeLocalApi.SELF_IP, ordersPort, FakeLocalApi.ALICE_IP, "orders", "alice", "psql")) {
            workload(c);
        }
        tryConnect(FakeLocalApi.SELF_IP, ordersPort, FakeLocalApi.TAGGED_IP, "orders", "alice", "migrations");
        Connection local = connect("127.0.0.1", 6433, null, "analytics", "bob", "IntelliJ IDEA");
        workload(local);
        open.add(local);
        tryConnect("127.0.0.1", 6434, null, "billing", "carol", "billing-report");
        pause(1500);

        fx(() -> {
            window.controller().select("orders-prod");
            return null;
        });
        pause(600);
        shot(window.stage().getScene(), "profiles-running.png");
        rootShot("tray-running.png");

        // billing-legacy's certificate does not carry its server name: amber, with what to do
        waitFor(() -> fx(() -> services.library().find("billing-legacy").orElseThrow().state() == ProfileState.UNVERIFIED
                && services.library().find("billing-legacy").orElseThrow().upstream().lastTest() != null));
        fx(() -> {
            window.controller().select("billing-legacy");
            return null;
        });
        pause(600);
        shot(window.stage().getScene(), "profile-unverified.png");
        trayShots("tray-unverified.png", "tray-menu-unverified.png");

        fx(() -> {
            window.controller().showSessions();
            TableView<SessionRow> table = lookup(window.stage().getScene(), "#sessions-table");
            for (SessionRow r : table.getItems()) {
                if (r.problem() && r.profile().equals("billing-legacy")) table.getSelectionModel().select(r);
            }
            return null;
        });
        pause(800);
        shot(window.stage().getScene(), "sessions-with-refusal.png");

        fx(() -> {
            window.controller().showAudit();
            return null;
        });
        pause(1500);
        fx(() -> {
            TableView<?> audit = lookup(window.stage().getScene(), "#audit-table");
            audit.getSelectionModel().select(0);
            return null;
        });
        pause(400);
        shot(window.stage().getScene(), "audit-log.png");

        // the editor with validation errors
        fx(() -> {
            window.controller().showProfiles();
            window.actions().newProfile();
            return null;
        });
        waitFor(() -> fx(() -> window.actions().editorWindow().isPresent()));
        Stage editor = fx(() -> window.actions().editorWindow().orElseThrow());
        fx(() -> {
            type(editor.getScene(), "#nameField", "orders-prod");
            type(editor.getScene(), "#hostField", "db.example.com:");
            type(editor.getScene(), "#portField", "54x2");
            type(editor.getScene(), "#defaultDatabaseField", "orders");
            return null;
        });
        pause(800);
        shot(editor.getScene(), "editor-validation.png");
        fx(() -> {
            editor.close();
            return null;
        });
        firstProfile();

        // Test upstream: verified, then the name mismatch
        testUpstream("orders-prod", "test-upstream-verified.png");
        testUpstream("billing-legacy", "test-upstream-failed.png");
        upstreamOptions("orders-prod", "editor-upstream-options.png");

        fx(() -> {
            services.theme().appearanceProperty().set(Appearance.DARK);
            window.controller().showSessions();
            return null;
        });
        pause(1000);
        shot(window.stage().getScene(), "sessions-dark.png");
        fx(() -> {
            window.controller().showProfiles();
            return null;
        });
        pause(600);
        shot(window.stage().getScene(), "profiles-dark.png");

        for (Connection c : open) c.close();
        fx(() -> {
            window.stage().hide();
            return null;
        });
        services.close();
        fake.close();
    }

    /** A new profile filled in by pasting the provider's connection string ("Paste connection string"). */
    private void firstProfile() throws Exception {
        fx(() -> {
            window.actions().newProfile();
            return null;
        });
        waitFor(() -> fx(() -> window.actions().editorWindow().isPresent()));
        Stage editor = fx(() -> window.actions().editorWindow().orElseThrow());
        pause(500);
        fx(() -> {
            javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
            content.putString("postgresql://app_user:s3cret@orders-db.c9akciq32.eu-west-1.rds.amazonaws.com:5432/orders?sslmode=require");
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
            ((Button) lookup(editor.getScene(), "#pasteButton")).fire();
            return null;
        });
        pause(800);
        shot(editor.getScene(), "editor-first-profile.png");
        fx(() -> {
            editor.close();
            return null;
        });
    }

    private void testUpstream(String profile, String file) throws Exception {
        fx(() -> {
            ProfileItem item = services.library().find(profile).orElseThrow();
            window.actions().edit(item);
            return null;
        });
        waitFor(() -> fx(() -> window.actions().editorWindow().isPresent()));
        Stage editor = fx(() -> window.actions().editorWindow().orElseThrow());
        pause(500);
        fx(() -> {
            ((Button) lookup(editor.getScene(), "#testButton")).fire();
            return null;
        });
        waitFor(() -> fx(() -> lookup(editor.getScene(), "#test-ok") != null || lookup(editor.getScene(), "#test-failed") != null));
        pause(600);
        shot(editor.getScene(), file);
        fx(() -> {
            editor.close();
            return null;
        });
    }

    /** The editor scrolled to its opened "Advanced" section (TLS library, warm connections, low latency, session limit). */
    private void upstreamOptions(String profile, String file) throws Exception {
        fx(() -> {
            window.actions().edit(services.library().find(profile).orElseThrow());
            return null;
        });
        waitFor(() -> fx(() -> window.actions().editorWindow().isPresent()));
        Stage editor = fx(() -> window.actions().editorWindow().orElseThrow());
        pause(500);
        fx(() -> {
            javafx.scene.control.TitledPane advanced = lookup(editor.getScene(), "#advancedPane");
            advanced.setExpanded(true);
            return null;
        });
        pause(400);
        fx(() -> {
            javafx.scene.control.ScrollPane scroll = lookup(editor.getScene(), "#formScroll");
            Node target = lookup(editor.getScene(), "#advancedPane");
            double y = scroll.getContent().sceneToLocal(target.localToScene(0, 0)).getY() - 60;
            double range = scroll.getContent().getLayoutBounds().getHeight() - scroll.getViewportBounds().getHeight();
            scroll.setVvalue(Math.max(0, Math.min(1, y / range)));
            return null;
        });
        pause(600);
        shot(editor.getScene(), file);
        fx(() -> {
            editor.close();
            return null;
        });
    }

    private static String caFile;

    private static String caDownload;

    private static Profile profile(String name, String host, int port, String serverName, Profile.Binding binding, int listen,
                                   List<String> users, String db, String user, boolean startWithApp, int warmUpstreams,
                                   int busyPollMicros) {
        return new Profile(name, host, port, serverName, List.of(caFile), false, null, null, false,
                false, listen, binding, users, List.of(), null, db, user, startWithApp, "jdk", 200, warmUpstreams, busyPollMicros,
                false, false, java.util.Map.of(caFile, caDownload));
    }

    private static Connection connect(String host, int port, String from, String db, String user, String app) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", PgServer.PASSWORD);
        p.setProperty("sslmode", "disable");
        p.setProperty("ApplicationName", app);
        p.setProperty("assumeMinServerVersion", "12");
        if (from != null) p.setProperty("localSocketAddress", from);
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + db, p);
    }

    private static void tryConnect(String host, int port, String from, String db, String user, String app) {
        try (Connection c = connect(host, port, from, db, user, app)) {
            throw new IllegalStateException("expected a refusal from " + host + ":" + port);
        } catch (SQLException expected) {
            // the refusal is what the screenshot shows
        }
    }

    private static void workload(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT string_agg(md5(i::text), '') FROM generate_series(1, 3000) i");
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Node> T lookup(Scene scene, String selector) {
        return (T) scene.lookup(selector);
    }

    private static void type(Scene scene, String selector, String text) {
        TextField f = lookup(scene, selector);
        f.requestFocus();
        f.setText(text);
    }

    /** The whole X display, tray included, when {@code verifull.tour.rootShots} names a folder (for checking the tray). */
    private static void rootShot(String name) throws Exception {
        String dir = System.getProperty("verifull.tour.rootShots");
        if (dir == null) return;
        new ProcessBuilder("import", "-window", "root", Path.of(dir, name).toString()).inheritIO().start().waitFor();
    }

    /**
     * The tray icon, then its menu opened with a right click (trayer at the top right, as
     * docs/screenshots/take starts it), once the refusals' notifications have gone (AWT shows them
     * one after the other, 10 s each, over the tray).
     */
    private static void trayShots(String icon, String menu) throws Exception {
        String dir = System.getProperty("verifull.tour.rootShots");
        if (dir == null) return;
        Thread.sleep(25_000);
        rootShot(icon);
        new ProcessBuilder("xdotool", "mousemove", "1268", "15", "click", "3").inheritIO().start().waitFor();
        Thread.sleep(1500);
        rootShot(menu);
        // Escape, then a click beside the menu, close it and end its pointer grab
        new ProcessBuilder("xdotool", "key", "Escape").inheritIO().start().waitFor();
        new ProcessBuilder("xdotool", "mousemove", "300", "600", "click", "1").inheritIO().start().waitFor();
        Thread.sleep(500);
    }

    private void shot(Scene scene, String name) throws Exception {
        WritableImage image = fx(() -> scene.snapshot(null));
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] pixels = new int[w * h];
        image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), pixels, 0, w);
        BufferedImage png = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        png.setRGB(0, 0, w, h, pixels, 0, w);
        ImageIO.write(png, "png", out.resolve(name).toFile());
    }

    private static <T> T fx(Callable<T> task) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f.get(30, TimeUnit.SECONDS);
    }

    private interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!check.ok()) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("the tour waited too long");
            Thread.sleep(100);
        }
    }

    private static void pause(long ms) throws InterruptedException {
        Thread.sleep(ms);
    }
}
