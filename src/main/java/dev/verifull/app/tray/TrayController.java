package dev.verifull.app.tray;

import java.util.List;
import java.util.Optional;

import dev.verifull.app.profiles.ConnectAddress;
import dev.verifull.app.profiles.ProfileItem;
import dev.verifull.app.profiles.ProfileLibrary;
import dev.verifull.connect.ConnectionString;
import dev.verifull.connect.ConnectionStrings;
import javafx.application.Platform;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

/**
 * Keeps the tray in step with the profiles (FX side) and turns refusals worth knowing about into
 * notifications. Tray clicks come in on the AWT thread and go to the FX thread.
 */
public final class TrayController {
    private final TraySources sources;
    private final TrayIntegration tray;

    private TrayController(TraySources sources, TrayIntegration tray) {
        this.sources = sources;
        this.tray = tray;
    }

    /**
     * Installs the tray icon in the background; {@code onInstalled} runs on the FX thread when a tray
     * exists (then closing the window only hides it).
     */
    public static void installLater(TraySources sources, Runnable openWindow, Runnable quit,
                                    java.util.function.Consumer<TrayController> onInstalled) {
        Thread t = new Thread(() -> {
            TrayIntegration.Actions actions = new TrayIntegration.Actions() {
                @Override
                public void toggle(String profile) {
                    Platform.runLater(() -> sources.library().toggle(profile));
                }

                @Override
                public void copy(String text) {
                    Platform.runLater(() -> {
                        ClipboardContent content = new ClipboardContent();
                        content.putString(text);
                        Clipboard.getSystemClipboard().setContent(content);
                    });
                }

                @Override
                public void open() {
                    Platform.runLater(openWindow);
                }

                @Override
                public void quit() {
                    Platform.runLater(quit);
                }
            };
            Optional<TrayIntegration> installed = TrayIntegration.install(actions);
            installed.ifPresent(integration -> Platform.runLater(() -> {
                TrayController controller = new TrayController(sources, integration);
                controller.follow();
                onInstalled.accept(controller);
            }));
        }, "verifull-tray-install");
        t.setDaemon(true);
        t.start();
    }

    private void follow() {
        ProfileLibrary library = sources.library();
        library.revisionProperty().addListener(x -> update());
        sources.tailscale().addListener(x -> update());
        update();
        // event loop thread: deciding is cheap, showing is posted to the AWT thread
        sources.sessionEvents().accept(event -> sources.notices().consider(event)
                .ifPresent(n -> tray.notify(n.title(), n.text())));
    }

    private void update() {
        ProfileLibrary library = sources.library();
        List<TrayMenuModel.Entry> entries = library.items().stream().map(this::entry).toList();
        tray.show(new TrayMenuModel(OverallState.of(library.items().stream().map(ProfileItem::status).toList()), entries));
    }

    private TrayMenuModel.Entry entry(ProfileItem item) {
        String host = ConnectAddress.host(item.profile(), sources.tailscale().getValue());
        // Only strings that work as pasted: none while the profile lacks its database or user.
        List<ConnectionString> strings = host == null || !ConnectionStrings.missing(item.profile()).isEmpty() ? List.of()
                : sources.tools().connectionStrings(item.profile(), host, item.profile().listenPort(), false).stream()
                        .filter(ConnectionString::available).toList();
        return new TrayMenuModel.Entry(item.name(), item.status().status(), item.status().detail(), item.active(), strings);
    }

    public void remove() {
        tray.remove();
    }
}
