/**
 * Watching one running engine from outside: its upstream's state and certificate expiry (through
 * {@code check}), its metrics and health endpoints (through {@code metrics}). Used by
 * {@code serve} and by the app for profiles with a metrics port; it sits above {@code manager}
 * and {@code check}, which do not know it.
 */
package dev.verifull.monitor;
