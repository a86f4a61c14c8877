package dev.verifull.app.tray;

import java.util.ArrayList;
import java.util.List;

import dev.verifull.app.profiles.ProfileState;
import dev.verifull.connect.ConnectionString;

/**
 * What the tray shows, copied from the FX side so the AWT thread never touches JavaFX state, and
 * the menu as plain items (so it can be checked without a tray). The most used action, copying a
 * running profile's psql command, is in the menu itself; the other strings one submenu down.
 *
 * @param connections empty when the profile cannot be reached yet (tailnet without Tailscale)
 */
public record TrayMenuModel(OverallState state, List<Entry> profiles) {
    public record Entry(String name, ProfileState state, String detail, boolean active, List<ConnectionString> connections) {
        public Entry {
            connections = List.copyOf(connections);
        }

        boolean running() {
            return state == ProfileState.RUNNING || state == ProfileState.UNVERIFIED || state == ProfileState.CHECKING
                    || state == ProfileState.TRUST_NOT_RELOADED;
        }

        ConnectionString psql() {
            return connections.stream().filter(c -> c.kind() == ConnectionString.Kind.PSQL_COMMAND).findFirst().orElse(null);
        }
    }

    /** What a menu item does. */
    public sealed interface Command {
        record Open() implements Command {}
        record Quit() implements Command {}
        record Toggle(String profile) implements Command {}
        record Edit(String profile) implements Command {}
        record TestAgain(String profile) implements Command {}
        record Copy(String text) implements Command {}
    }

    public sealed interface Item {}

    public record Action(String label, Command command) implements Item {}

    /** A line of text that cannot be chosen (a status, an error). */
    public record Note(String label) implements Item {}

    public record Submenu(String label, List<Item> items) implements Item {
        public Submenu {
            items = List.copyOf(items);
        }
    }

    public record Separator() implements Item {}

    /** AWT menus do not wrap: longer notes are cut with an ellipsis. */
    static final int MAX_NOTE = 72;

    public TrayMenuModel {
        profiles = List.copyOf(profiles);
    }

    /** e.g. "Verifull — 2 of 3 profiles running · 1 upstream not verified". */
    public String tooltip() {
        long running = profiles.stream().filter(Entry::running).count();
        long unverified = profiles.stream().filter(e -> e.state() == ProfileState.UNVERIFIED).count();
        long errors = profiles.stream().filter(e -> e.state() == ProfileState.ERROR).count();
        long trust = profiles.stream().filter(e -> e.state() == ProfileState.TRUST_NOT_RELOADED).count();
        String text = "Verifull — " + (profiles.isEmpty() ? "no profiles"
                : running + " of " + profiles.size() + (profiles.size() == 1 ? " profile" : " profiles") + " running");
        if (unverified > 0) text += " · " + unverified + (unverified == 1 ? " upstream" : " upstreams") + " not verified";
        if (errors > 0) text += " · " + errors + " with an error";
        if (trust > 0) text += " · " + trust + " with changed trust not loaded";
        return text;
    }

    public List<Item> menu() {
        List<Item> items = new ArrayList<>();
        items.add(new Note(tooltip()));
        items.add(new Action("Open Verifull", new Command.Open()));
        items.add(new Separator());
        if (profiles.isEmpty()) items.add(new Note("No profiles yet"));
        for (Entry e : profiles) {
            items.add(new Submenu(e.name() + " — " + e.state().label(), profileMenu(e)));
            ConnectionString psql = e.psql();
            if (e.running() && psql != null) items.add(new Action("Copy psql command: " + e.name(), new Command.Copy(psql.text())));
        }
        items.add(new Separator());
        items.add(new Action("Quit Verifull", new Command.Quit()));
        return items;
    }

    private static List<Item> profileMenu(Entry e) {
        List<Item> items = new ArrayList<>();
        if ((e.state() == ProfileState.UNVERIFIED || e.state() == ProfileState.ERROR || e.state() == ProfileState.WAITING
                || e.state() == ProfileState.TRUST_NOT_RELOADED)
                && e.detail() != null) {
            items.add(new Note(cut(e.detail())));
        }
        if (e.state() == ProfileState.UNVERIFIED) items.add(new Action("Test upstream again", new Command.TestAgain(e.name())));
        if (e.running() && !e.connections().isEmpty()) {
            List<Item> strings = new ArrayList<>();
            for (ConnectionString c : e.connections()) strings.add(new Action(c.label(), new Command.Copy(c.text())));
            items.add(new Submenu("Copy connection string", strings));
        }
        items.add(new Action(e.active() ? "Stop" : "Start", new Command.Toggle(e.name())));
        items.add(new Action("Edit…", new Command.Edit(e.name())));
        return items;
    }

    static String cut(String text) {
        String line = text.replace('\n', ' ');
        return line.length() <= MAX_NOTE ? line : line.substring(0, MAX_NOTE - 1) + "…";
    }
}
