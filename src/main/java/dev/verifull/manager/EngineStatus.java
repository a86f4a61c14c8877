package dev.verifull.manager;

/** What a profile's engine is doing, as the window and the tray show it. */
public enum EngineStatus {
    STOPPED("stopped"),
    STARTING("starting"),
    WAITING_FOR_TAILSCALE("waiting for Tailscale"),
    RUNNING("running"),
    ERROR("error");

    private final String label;

    EngineStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
