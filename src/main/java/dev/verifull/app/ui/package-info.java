/**
 * What the app's views share: FXML loading, table columns, cells and formats, the light/dark theme,
 * window icons, Tailscale's state for the status line, an in-order executor.
 */
package dev.verifull.app.ui;
