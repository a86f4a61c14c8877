package dev.verifull.app.profiles;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.profile.Profile;

/** One profile in the list: its saved settings and its engine's current status (FX thread only). */
public final class ProfileItem {
    private final ObjectProperty<Profile> profile = new SimpleObjectProperty<>(this, "profile");
    private final ObjectProperty<ProfileStatus> status = new SimpleObjectProperty<>(this, "status");

    public ProfileItem(Profile profile, ProfileStatus status) {
        this.profile.set(profile);
        this.status.set(status != null ? status : ProfileStatus.stopped(profile.name()));
    }

    public String name() {
        return profile.get().name();
    }

    public Profile profile() {
        return profile.get();
    }

    public ProfileStatus status() {
        return status.get();
    }

    public ReadOnlyObjectProperty<Profile> profileProperty() {
        return profile;
    }

    public ReadOnlyObjectProperty<ProfileStatus> statusProperty() {
        return status;
    }

    void setProfile(Profile p) {
        profile.set(p);
    }

    void setStatus(ProfileStatus s) {
        status.set(s);
    }

    /** Started or on its way (the toggle then means "stop"). */
    public boolean active() {
        EngineStatus s = status.get().status();
        return s == EngineStatus.RUNNING || s == EngineStatus.STARTING || s == EngineStatus.WAITING_FOR_TAILSCALE;
    }

    /** e.g. {@code :6432 → db.example.com:5432}. */
    public String routeText() {
        Profile p = profile.get();
        String host = p.upstreamHost() == null || p.upstreamHost().isBlank() ? "(no host)" : p.upstreamHost();
        return ":" + p.listenPort() + " → " + host + ":" + p.upstreamPort();
    }
}
