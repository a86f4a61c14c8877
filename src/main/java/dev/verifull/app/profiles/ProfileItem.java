package dev.verifull.app.profiles;

import dev.verifull.check.UpstreamWatch;
import dev.verifull.manager.EngineStatus;
import dev.verifull.manager.ProfileStatus;
import dev.verifull.profile.Profile;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * One profile in the list: its saved settings, its engine's current status, whether its upstream
 * could be verified, and a note about its last save (FX thread only).
 */
public final class ProfileItem {
    private final ObjectProperty<Profile> profile = new SimpleObjectProperty<>(this, "profile");
    private final ObjectProperty<ProfileStatus> status = new SimpleObjectProperty<>(this, "status");
    private final ObjectProperty<UpstreamWatch.Verdict> upstream = new SimpleObjectProperty<>(this, "upstream");
    private final StringProperty saveNote = new SimpleStringProperty(this, "saveNote");
    /** Saved while running: the restart's outcome is news for the save note. */
    boolean awaitingRestart;
    /** A new profile started on save: its first start is news for the save note. */
    boolean awaitingFirstStart;

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

    /** The upstream watch's last verdict while the engine runs; null otherwise. */
    public ReadOnlyObjectProperty<UpstreamWatch.Verdict> upstreamProperty() {
        return upstream;
    }

    public UpstreamWatch.Verdict upstream() {
        return upstream.get();
    }

    /**
     * The certificates of this running profile that expire within 30 days or have expired (the
     * server's own as the last check saw it, and those in its CA files); empty when not running.
     */
    public java.util.List<dev.verifull.check.CertificateExpiry> expiringSoon() {
        UpstreamWatch.Verdict v = upstream.get();
        return v == null ? java.util.List.of() : v.expiringSoon(java.time.Instant.now());
    }

    /** "Saved and applied …" after a save; null when there is nothing to say. */
    public ReadOnlyStringProperty saveNoteProperty() {
        return saveNote;
    }

    public ProfileState state() {
        return ProfileState.of(status.get(), upstream.get());
    }

    void setUpstream(UpstreamWatch.Verdict v) {
        upstream.set(v);
    }

    void setSaveNote(String note) {
        saveNote.set(note);
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
