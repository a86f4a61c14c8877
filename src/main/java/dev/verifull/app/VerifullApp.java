package dev.verifull.app;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.verifull.app.os.SingleInstance;
import dev.verifull.app.os.SystemAppearance;
import dev.verifull.app.profiles.FilePicker;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.app.profiles.ProfileTools;
import dev.verifull.app.tray.TrayController;
import dev.verifull.engine.NettyProperties;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.ProfileStore;
import dev.verifull.tailnet.TailscaleServices;
import dev.verifull.tailscale.LocalApiSettings;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;

/**
 * The desktop application: services built in {@link #init()} (off the FX thread), the main
 * window, the tray when the desktop has one, and an orderly quit that stops the engines in the
 * background before the toolkit exits. Started with {@code --tray} (at login), it goes to the
 * tray without opening the window; without a tray it opens the window after all.
 */
public final class VerifullApp extends Application {
    private AppServices services;
    private MainWindow window;
    private volatile TrayController tray;
    private final AtomicBoolean quitting = new AtomicBoolean();

    @Override
    public void init() {
        NettyProperties.applyDefaults(); // before any engine; the launcher and javafx:run both come through here
        Path base = AppDataDir.resolve();
        services = new AppServices(base, ProfileStorage.of(ProfileStore.open(AppDataDir.profiles(base))), ProfileTools.forAppData(base),
                TailscaleServices.discover(LocalApiSettings.defaults()), SystemAppearance::prefersDark, Platform::runLater);
    }

    @Override
    public void start(Stage stage) {
        boolean inTray = DesktopLauncher.startsInTray(getParameters().getRaw());
        window = new MainWindow(stage, services, FilePicker.native_(), this::openFolder, this::quit, () -> tray != null);
        if (!inTray) window.show();
        services.library().load();
        SingleInstance instance = DesktopLauncher.instance();
        if (instance != null) instance.onShow(() -> Platform.runLater(window::bringToFront));
        if (Boolean.getBoolean("verifull.noTray")) {
            if (inTray) window.show(); // nowhere else to be
            return;
        }
        TrayController.installLater(services.traySources(), window.trayWindow(), installed -> {
            if (quitting.get()) {
                installed.remove(); // quit came first: an icon now would keep the process alive
                return;
            }
            tray = installed;
            Platform.setImplicitExit(false); // the tray keeps the app alive with the window closed
        }, () -> {
            if (inTray) window.show(); // asked for the tray, but this desktop has none: the window it is
        });
    }

    private void openFolder(Path folder) {
        getHostServices().showDocument(folder.toUri().toString());
    }

    /** Stops engines and flushes the audit log in the background, then leaves. */
    private void quit() {
        if (!quitting.compareAndSet(false, true)) return;
        window.stage().hide();
        if (tray != null) tray.remove();
        Thread t = new Thread(() -> {
            try {
                services.close();
            } finally {
                SingleInstance instance = DesktopLauncher.instance();
                if (instance != null) instance.close();
                Platform.exit();
                // AWT's threads outlive a tray icon; nothing is left to save, so the process ends here
                System.exit(0);
            }
        }, "verifull-quit");
        t.start();
    }

    @Override
    public void stop() {
        // Platform.exit() from quit(), or the last window closed without a tray: engines must stop either way
        if (quitting.compareAndSet(false, true)) services.close();
    }
}
