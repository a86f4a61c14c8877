/**
 * The desktop app's start-up and wiring: the launcher, the services shared by window and tray, the
 * main window with its shortcuts and remembered size. Its sub-packages never use it.
 */
package dev.verifull.app;
