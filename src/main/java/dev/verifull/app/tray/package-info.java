/**
 * The system tray icon, its menu and the desktop notifications about refusals; the only AWT code
 * of the app. AWT callbacks hop to the FX thread.
 */
package dev.verifull.app.tray;
