/**
 * Hooks into the desktop the app runs on: start at login, one instance per user, whether the
 * system prefers dark. No JavaFX; blocking calls, made off the FX thread.
 */
package dev.verifull.app.os;
