package dev.verifull.app.profiles;

import java.util.function.Consumer;

import dev.verifull.manager.ProfileStatus;
import javafx.beans.InvalidationListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** A profile in the sidebar: status dot, name, route or error, and a start/stop button. */
final class ProfileListCell extends ListCell<ProfileItem> {
    private final Region dot = new Region();
    private final Label name = new Label();
    private final Label line = new Label();
    private final Region icon = new Region();
    private final Button toggle = new Button();
    private final HBox box;
    private final InvalidationListener changed = x -> show();
    private ProfileItem shown;

    ProfileListCell(Consumer<ProfileItem> onToggle) {
        name.getStyleClass().add("profile-name");
        line.getStyleClass().addAll("muted", "small", "status-text");
        line.setTextOverrun(OverrunStyle.ELLIPSIS);
        VBox text = new VBox(2, name, line);
        text.setMinWidth(0);
        HBox.setHgrow(text, Priority.ALWAYS);
        toggle.getStyleClass().add("icon-button");
        toggle.setGraphic(icon);
        toggle.setFocusTraversable(false);
        toggle.setOnAction(e -> {
            if (shown != null) onToggle.accept(shown);
        });
        box = new HBox(10, dot, text, toggle);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("profile-cell");
        setText(null);
    }

    @Override
    protected void updateItem(ProfileItem item, boolean empty) {
        super.updateItem(item, empty);
        if (shown != null) {
            shown.profileProperty().removeListener(changed);
            shown.statusProperty().removeListener(changed);
            shown.upstreamProperty().removeListener(changed);
        }
        shown = empty ? null : item;
        if (shown == null) {
            setGraphic(null);
            return;
        }
        shown.profileProperty().addListener(changed);
        shown.statusProperty().addListener(changed);
        shown.upstreamProperty().addListener(changed);
        show();
        // as wide as the list, never wider: long routes and errors end in an ellipsis instead of scrolling
        box.prefWidthProperty().bind(getListView().widthProperty().subtract(18));
        box.setMaxWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        setGraphic(box);
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private void show() {
        if (shown == null) return;
        ProfileStatus s = shown.status();
        ProfileState state = shown.state();
        name.setText(shown.name());
        dot.getStyleClass().setAll("dot", state.style());
        // the dot says how it is; the line says where, or what is wrong or awaited
        String problem = switch (state) {
            case ERROR, WAITING -> s.detail() != null ? capitalized(s.detail()) : null;
            case UNVERIFIED -> shown.upstream().message();
            case TRUST_NOT_RELOADED -> s.trustError();
            default -> null;
        };
        // a certificate near its end says so where the route would be, until it is replaced
        var expiring = problem == null ? shown.expiringSoon() : java.util.List.<dev.verifull.check.CertificateExpiry>of();
        java.time.Instant now = java.time.Instant.now();
        line.setText(problem != null ? problem
                : !expiring.isEmpty() ? expiring.get(0).headline(now)
                : state == ProfileState.STARTING || state == ProfileState.WAITING || state == ProfileState.CHECKING
                        ? state.label() + "…" : shown.routeText());
        line.getStyleClass().removeAll("error", "warn");
        if (state == ProfileState.ERROR) line.getStyleClass().add("error");
        if (state == ProfileState.UNVERIFIED || state == ProfileState.TRUST_NOT_RELOADED || !expiring.isEmpty()) line.getStyleClass().add("warn");
        line.setTooltip(problem != null ? new Tooltip((state == ProfileState.UNVERIFIED ? "Upstream not verified: " : "") + problem)
                : !expiring.isEmpty() ? new Tooltip(String.join("\n", expiring.stream().map(e -> e.warning(now)).toList())) : null);
        dot.setAccessibleText(state.label());
        boolean active = shown.active();
        icon.getStyleClass().setAll("icon", active ? "stop" : "play");
        toggle.setTooltip(new Tooltip(active ? "Stop " + shown.name() : "Start " + shown.name()));
        toggle.setAccessibleText(active ? "Stop " + shown.name() : "Start " + shown.name());
        toggle.setId("toggle-" + shown.name());
        box.setAccessibleText(shown.name() + ", " + state.label());
    }
}
