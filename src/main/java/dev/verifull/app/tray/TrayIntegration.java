package dev.verifull.app.tray;

import java.awt.AWTException;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.util.Optional;

import dev.verifull.connect.ConnectionString;
import dev.verifull.manager.EngineStatus;

/**
 * The system tray icon and its menu, the only AWT code of the app. Everything here runs on the
 * AWT event thread; the {@link Actions} it calls must hop to the FX thread themselves.
 */
public final class TrayIntegration {
    /** What the menu does; called on the AWT thread. */
    public interface Actions {
        void toggle(String profile);

        void copy(String text);

        void open();

        void quit();
    }

    private final SystemTray tray;
    private final TrayIcon icon;
    private final Actions actions;
    private OverallState shownState;

    private TrayIntegration(SystemTray tray, TrayIcon icon, Actions actions) {
        this.tray = tray;
        this.icon = icon;
        this.actions = actions;
    }

    /**
     * Adds the icon if this desktop has a tray (XEmbed on Linux; not GNOME on Wayland). Blocking
     * (AWT start-up): call it off the FX thread.
     */
    public static Optional<TrayIntegration> install(Actions actions) {
        if (GraphicsEnvironment.isHeadless()) return Optional.empty();
        try {
            return callOnAwt(() -> {
                if (!SystemTray.isSupported()) return Optional.empty();
                SystemTray tray = SystemTray.getSystemTray();
                int size = tray.getTrayIconSize().height;
                TrayIcon icon = new TrayIcon(TrayIcons.image(OverallState.IDLE, size), "Verifull");
                icon.setImageAutoSize(true);
                icon.addActionListener(e -> actions.open());
                TrayIntegration integration = new TrayIntegration(tray, icon, actions);
                integration.shownState = OverallState.IDLE;
                icon.setPopupMenu(integration.menu(new TrayMenuModel(OverallState.IDLE, java.util.List.of())));
                try {
                    tray.add(icon);
                } catch (AWTException e) {
                    return Optional.empty();
                }
                return Optional.of(integration);
            });
        } catch (RuntimeException | Error e) {
            return Optional.empty(); // no usable AWT here: the window alone it is
        }
    }

    private interface AwtCall<T> {
        T call();
    }

    private static <T> T callOnAwt(AwtCall<T> call) {
        Object[] result = new Object[1];
        RuntimeException[] failure = new RuntimeException[1];
        try {
            EventQueue.invokeAndWait(() -> {
                try {
                    result[0] = call.call();
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (failure[0] != null) throw failure[0];
        @SuppressWarnings("unchecked")
        T t = (T) result[0];
        return t;
    }

    /** Shows a new state and menu; any thread. */
    public void show(TrayMenuModel model) {
        EventQueue.invokeLater(() -> {
            if (model.state() != shownState) {
                icon.setImage(TrayIcons.image(model.state(), tray.getTrayIconSize().height));
                shownState = model.state();
            }
            icon.setToolTip(model.tooltip());
            icon.setPopupMenu(menu(model));
        });
    }

    /** A desktop notification; any thread. */
    public void notify(String title, String text) {
        EventQueue.invokeLater(() -> icon.displayMessage(title, text, TrayIcon.MessageType.WARNING));
    }

    public void remove() {
        EventQueue.invokeLater(() -> tray.remove(icon));
    }

    private PopupMenu menu(TrayMenuModel model) {
        PopupMenu menu = new PopupMenu();
        MenuItem open = new MenuItem("Open Verifull");
        open.addActionListener(e -> actions.open());
        menu.add(open);
        menu.addSeparator();
        if (model.profiles().isEmpty()) {
            MenuItem none = new MenuItem("No profiles yet");
            none.setEnabled(false);
            menu.add(none);
        }
        for (TrayMenuModel.Entry entry : model.profiles()) {
            Menu profile = new Menu(entry.name() + " — " + statusText(entry));
            MenuItem toggle = new MenuItem(entry.active() ? "Stop" : "Start");
            toggle.addActionListener(e -> actions.toggle(entry.name()));
            profile.add(toggle);
            Menu copy = new Menu("Copy connection string");
            for (ConnectionString c : entry.connections()) {
                MenuItem item = new MenuItem(c.label());
                item.addActionListener(e -> actions.copy(c.text()));
                copy.add(item);
            }
            copy.setEnabled(!entry.connections().isEmpty());
            profile.add(copy);
            menu.add(profile);
        }
        menu.addSeparator();
        MenuItem quit = new MenuItem("Quit Verifull");
        quit.addActionListener(e -> actions.quit());
        menu.add(quit);
        return menu;
    }

    private static String statusText(TrayMenuModel.Entry entry) {
        return entry.status() == EngineStatus.ERROR ? "error" : entry.status().label();
    }
}
