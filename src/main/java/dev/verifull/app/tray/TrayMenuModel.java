package dev.verifull.app.tray;

import java.util.List;

import dev.verifull.connect.ConnectionString;
import dev.verifull.manager.EngineStatus;

/**
 * What the tray shows, copied from the FX side so the AWT thread never touches JavaFX state.
 *
 * @param connections empty when the profile cannot be reached yet (tailnet without Tailscale)
 */
public record TrayMenuModel(OverallState state, List<Entry> profiles) {
    public record Entry(String name, EngineStatus status, String detail, boolean active, List<ConnectionString> connections) {
        public Entry {
            connections = List.copyOf(connections);
        }
    }

    public TrayMenuModel {
        profiles = List.copyOf(profiles);
    }

    /** The icon's tooltip, e.g. "Verifull — 2 of 3 profiles running". */
    public String tooltip() {
        long running = profiles.stream().filter(e -> e.status() == EngineStatus.RUNNING).count();
        long errors = profiles.stream().filter(e -> e.status() == EngineStatus.ERROR).count();
        String text = "Verifull — " + (profiles.isEmpty() ? "no profiles"
                : running + " of " + profiles.size() + (profiles.size() == 1 ? " profile" : " profiles") + " running");
        return errors > 0 ? text + ", " + errors + " with an error" : text;
    }
}
