package dev.verifull.app.tray;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.verifull.app.profiles.ConnectAddress;
import dev.verifull.app.profiles.ProfileItem;
import dev.verifull.app.profiles.ProfileLibrary;
import dev.verifull.app.profiles.ProfileState;
import dev.verifull.connect.ConnectionString;
import dev.verifull.connect.ConnectionStrings;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.util.Duration;

/**
 * Keeps the tray in step with the profiles (FX side) and turns refusals worth knowing about into
 * notifications. Tray clicks come in on the AWT thread and go to the FX thread.
 */
public final class TrayController {
    private final TraySources sources;
    private final TrayIntegration tray;
    private Timeline summaries;
    private final dev.verifull.check.ExpiryNotices expiryNotices = new dev.verifull.check.ExpiryNotices(java.time.ZoneId.systemDefault());
    /** The trust error last notified per profile (FX thread). */
    private final Map<String, String> trustErrorsShown = new HashMap<>();

    private TrayController(TraySources sources, TrayIntegration tray) {
        this.sources = sources;
        this.tray = tray;
    }

    /** What tray clicks ask of the window; called on the FX thread. */
    public interface Window {
        void open();

        void quit();

        /** Opens the editor for the profile. */
        void edit(String profile);

        /** Shows the session in the sessions view (a notification about it was clicked). */
        void showSession(String profile, long sessionId);
    }

    /**
     * Installs the tray icon in the background; {@code onInstalled} runs on the FX thread when a tray
     * exists (then closing the window only hides it), {@code noTray} when this desktop has none.
     */
    public static void installLater(TraySources sources, Window window,
                                    java.util.function.Consumer<TrayController> onInstalled, Runnable noTray) {
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
                    Platform.runLater(window::open);
                }

                @Override
                public void quit() {
                    Platform.runLater(window::quit);
                }

                @Override
                public void edit(String profile) {
                    Platform.runLater(() -> window.edit(profile));
                }

                @Override
                public void testAgain(String profile) {
                    Platform.runLater(() -> sources.library().checkUpstream(profile));
                }

                @Override
                public void openSession(String profile, long sessionId) {
                    // an expiry notice is about a profile, not a session: the window, whose list shows the warning
                    Platform.runLater(() -> {
                        if (sessionId < 0) window.open();
                        else window.showSession(profile, sessionId);
                    });
                }
            };
            Optional<TrayIntegration> installed = TrayIntegration.install(actions);
            if (installed.isEmpty()) {
                Platform.runLater(noTray);
                return;
            }
            Platform.runLater(() -> {
                TrayController controller = new TrayController(sources, installed.get());
                controller.follow();
                onInstalled.accept(controller);
            });
        }, "verifull-tray-install");
        t.setDaemon(true);
        t.start();
    }

    private void follow() {
        ProfileLibrary library = sources.library();
        library.revisionProperty().addListener(x -> {
            update();
            announceExpiries();
        });
        sources.tailscale().addListener(x -> update());
        update();
        // event loop thread: deciding is cheap, showing is posted to the AWT thread
        sources.sessionEvents().accept(event -> sources.notices().consider(event).ifPresent(this::show));
        // repeats of a cause come as a summary once it has been quiet on the desktop for a while
        summaries = new Timeline(new KeyFrame(Duration.seconds(10), e -> sources.notices().due().forEach(this::show)));
        summaries.setCycleCount(Animation.INDEFINITE);
        summaries.play();
    }


    /** A certificate near its end: a notification per certificate at most once a day (the profile's warning stays). FX thread. */
    private void announceExpiries() {
        java.time.Instant now = java.time.Instant.now();
        for (ProfileItem item : sources.library().items()) {
            for (var e : expiryNotices.due(item.name(), item.expiringSoon(), now)) {
                tray.notify(item.name() + ": " + e.headline(now), e.warning(now), item.name(), -1);
            }
        }
    }

    private void show(RefusalNotices.Notice n) {
        tray.notify(n.title(), n.text(), n.profile(), n.sessionId());
    }

    private void update() {
        tray.show(model(sources));
        notifyTrustErrors();
    }

    /** Changed trust that did not load is said once per new error, as a notification: the engine runs on without it. */
    private void notifyTrustErrors() {
        for (ProfileItem item : sources.library().items()) {
            String error = item.status().trustError();
            String before = trustErrorsShown.put(item.name(), error);
            if (error != null && !error.equals(before)) {
                tray.notify("Verifull: " + item.name() + " kept its last good trust", error, item.name(), 0);
            }
        }
    }

    /** What the tray shows for the profiles as they are now (FX thread). */
    public static TrayMenuModel model(TraySources sources) {
        ProfileLibrary library = sources.library();
        List<TrayMenuModel.Entry> entries = library.items().stream().map(item -> entry(sources, item)).toList();
        return new TrayMenuModel(OverallState.of(library.items().stream().map(ProfileItem::state).toList()), entries);
    }

    private static TrayMenuModel.Entry entry(TraySources sources, ProfileItem item) {
        String host = ConnectAddress.host(item.profile(), sources.tailscale().getValue());
        // Only strings that work as pasted: none while the profile lacks its database or user.
        List<ConnectionString> strings = host == null || !ConnectionStrings.missing(item.profile()).isEmpty() ? List.of()
                : sources.tools().connectionStrings(item.profile(), host, item.profile().listenPort(), false).stream()
                        .filter(ConnectionString::available).toList();
        String detail = item.state() == ProfileState.UNVERIFIED ? item.upstream().message()
                : item.state() == ProfileState.TRUST_NOT_RELOADED ? item.status().trustError() : item.status().detail();
        return new TrayMenuModel.Entry(item.name(), item.state(), detail, item.active(), strings);
    }

    public void remove() {
        if (summaries != null) summaries.stop();
        tray.remove();
    }
}
