package dev.verifull.app.profiles;

import java.util.function.Consumer;

import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.util.Callback;

/** Cell factory for the sidebar (the cell class itself stays package-private). */
public final class ProfileListCells {
    private ProfileListCells() {}

    public static Callback<ListView<ProfileItem>, ListCell<ProfileItem>> withToggle(Consumer<ProfileItem> onToggle) {
        return list -> new ProfileListCell(onToggle);
    }
}
