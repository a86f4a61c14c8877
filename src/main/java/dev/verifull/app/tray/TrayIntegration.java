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

        void edit(String profile);

        void testAgain(String profile);

        /** A notification about this session was clicked. */
        void openSession(String profile, long sessionId);
    }

    /** How long after a notification a click on the icon (or the notification) opens its session. */
    private static final long NOTICE_CLICK_MILLIS = 15_000;
    /**
     * XEmbed trays (Linux) draw AWT's own tooltip, which shows a second after the pointer arrives and
     * stays on top of the menu: there the menu's first line says the same instead.
     */
    private static final boolean TOOLTIP = !System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux");

    private final SystemTray tray;
    private final TrayIcon icon;
    private final Actions actions;
    private OverallState shownState;
    /** The session the last notification was about, and until when a click means it (AWT thread). */
    private String noticeProfile;
    private long noticeSession;
    private long noticeUntil;

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
                TrayIcon icon = new TrayIcon(TrayIcons.image(OverallState.IDLE, size), TOOLTIP ? "Verifull" : null);
                icon.setImageAutoSize(true);
                TrayIntegration integration = new TrayIntegration(tray, icon, actions);
                icon.addActionListener(e -> integration.clicked());
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
            icon.setToolTip(TOOLTIP ? model.tooltip() : null);
            icon.setPopupMenu(menu(model));
        });
    }

    /** A desktop notification about a session (or with {@code sessionId} 0 about a profile); a click opens it. Any thread. */
    public void notify(String title, String text, String profile, long sessionId) {
        EventQueue.invokeLater(() -> {
            noticeProfile = profile;
            noticeSession = sessionId;
            noticeUntil = System.currentTimeMillis() + NOTICE_CLICK_MILLIS;
            icon.displayMessage(title, text, TrayIcon.MessageType.WARNING);
        });
    }

    /**
     * The icon or a notification was clicked: AWT reports both alike, so shortly after a
     * notification a click opens its session, otherwise the window.
     */
    private void clicked() {
        if (noticeProfile != null && System.currentTimeMillis() < noticeUntil) {
            String profile = noticeProfile;
            noticeProfile = null;
            if (noticeSession > 0) actions.openSession(profile, noticeSession);
            else actions.open(); // a notice about the profile, not a session
        } else {
            actions.open();
        }
    }

    public void remove() {
        EventQueue.invokeLater(() -> tray.remove(icon));
    }

    private PopupMenu menu(TrayMenuModel model) {
        PopupMenu menu = new PopupMenu();
        for (TrayMenuModel.Item item : model.menu()) menu.add(awt(item));
        return menu;
    }

    private MenuItem awt(TrayMenuModel.Item item) {
        if (item instanceof TrayMenuModel.Separator) return new MenuItem("-"); // AWT's separator
        if (item instanceof TrayMenuModel.Note note) {
            MenuItem m = new MenuItem(note.label());
            m.setEnabled(false);
            return m;
        }
        if (item instanceof TrayMenuModel.Submenu sub) {
            Menu m = new Menu(sub.label());
            for (TrayMenuModel.Item i : sub.items()) m.add(awt(i));
            return m;
        }
        TrayMenuModel.Action action = (TrayMenuModel.Action) item;
        MenuItem m = new MenuItem(action.label());
        m.addActionListener(e -> run(action.command()));
        return m;
    }

    private void run(TrayMenuModel.Command command) {
        if (command instanceof TrayMenuModel.Command.Open) actions.open();
        else if (command instanceof TrayMenuModel.Command.Quit) actions.quit();
        else if (command instanceof TrayMenuModel.Command.Toggle t) actions.toggle(t.profile());
        else if (command instanceof TrayMenuModel.Command.Edit e) actions.edit(e.profile());
        else if (command instanceof TrayMenuModel.Command.TestAgain t) actions.testAgain(t.profile());
        else if (command instanceof TrayMenuModel.Command.Copy c) actions.copy(c.text());
    }
}
