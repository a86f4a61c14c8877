package dev.verifull.app.tray;

import java.util.function.Consumer;

import javafx.beans.value.ObservableValue;

import dev.verifull.app.profiles.ProfileLibrary;
import dev.verifull.app.profiles.ProfileTools;
import dev.verifull.app.ui.TailscaleState;
import dev.verifull.engine.SessionListener;

/**
 * What the tray follows, handed in by the app's wiring (so the tray needs nothing from the app's
 * root): the profiles, the connection strings for them, Tailscale's state for the host those name,
 * and the engines' session events, of which {@code notices} picks the refusals worth a notification.
 *
 * @param sessionEvents registers a listener for every engine's session events (called on event loops)
 */
public record TraySources(ProfileLibrary library, ProfileTools tools, ObservableValue<TailscaleState> tailscale,
                          Consumer<SessionListener> sessionEvents, RefusalNotices notices) {}
