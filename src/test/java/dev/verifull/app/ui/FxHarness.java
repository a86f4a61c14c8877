package dev.verifull.app.ui;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.verifull.app.AppServices;
import dev.verifull.app.MainWindow;
import dev.verifull.app.profiles.FilePicker;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.profiles.ProfileTools;
import dev.verifull.tailnet.TailscaleServices;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The whole main window on a headless JavaFX (Monocle), with its app-data dir in a temporary
 * directory and file dialogs answered from a queue.
 */
public final class FxHarness implements AutoCloseable {
    static {
        // Only the TestFX tests start JavaFX, so these are safe to set here rather than for every test.
        System.setProperty("testfx.robot", "glass");
        System.setProperty("testfx.headless", "true");
        System.setProperty("prism.order", "sw");
        System.setProperty("prism.text", "t2k");
        System.setProperty("glass.platform", "Monocle");
        System.setProperty("monocle.platform", "Headless");
        System.setProperty("java.awt.headless", "true");
    }

    public final Path base;
    public final AppServices services;
    public final FxRobot robot = new FxRobot();
    public final Deque<Path> filesToPick = new ArrayDeque<>();
    public final Deque<Path> openedFolders = new ArrayDeque<>();
    public MainWindow window;

    public FxHarness(Path base, ProfileStorage storage, ProfileTools tools) throws TimeoutException {
        this(base, storage, tools, null);
    }

    /** @param tailscale e.g. on a FakeLocalApi; null = no Tailscale */
    public FxHarness(Path base, ProfileStorage storage, ProfileTools tools, TailscaleServices tailscale) throws TimeoutException {
        this(base, storage, tools, tailscale, false);
    }

    /** @param withTray the window behaves as with a tray icon installed (closing hides it) */
    public FxHarness(Path base, ProfileStorage storage, ProfileTools tools, TailscaleServices tailscale, boolean withTray)
            throws TimeoutException {
        this.base = base;
        Stage primary = FxToolkit.registerPrimaryStage();
        this.services = new AppServices(base, storage, tools, tailscale, () -> false, Platform::runLater);
        FilePicker picker = (owner, title, kind, name) -> filesToPick.poll();
        FxToolkit.setupFixture(() -> {
            window = new MainWindow(primary, services, picker, openedFolders::add, () -> {}, () -> withTray);
            window.show();
            window.stage().setWidth(1280);
            window.stage().setHeight(800);
            services.library().load();
        });
        waitUntil(() -> services.library().loadedProperty().get());
    }

    public <T extends Node> T lookup(String query) {
        return robot.lookup(query).query();
    }

    public boolean exists(String query) {
        return robot.lookup(query).tryQuery().isPresent();
    }

    /** Waits (up to 20 s) for a condition checked on the FX thread. */
    public void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
    }

    public void fx(Runnable r) {
        WaitForAsyncUtils.waitForAsyncFx(10_000, r);
    }

    public <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    /** Scrolls the nearest scroll pane around {@code node} so it is in view, as a user would before clicking it. */
    public void scrollIntoView(Node node) {
        fx(() -> {
            for (Node n = node.getParent(); n != null; n = n.getParent()) {
                if (n instanceof javafx.scene.control.ScrollPane scroll) {
                    double y = scroll.getContent().sceneToLocal(node.localToScene(0, 0)).getY() - 40;
                    double range = scroll.getContent().getLayoutBounds().getHeight() - scroll.getViewportBounds().getHeight();
                    if (range > 0) scroll.setVvalue(Math.max(0, Math.min(1, y / range)));
                    return;
                }
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Override
    public void close() throws Exception {
        FxToolkit.cleanupStages();
        FxToolkit.setupFixture(() -> window.controller().stop());
        services.close();
    }
}
