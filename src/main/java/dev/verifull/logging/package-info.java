/**
 * Diagnostic logging for the app, the engine and {@code serve}: the JDK's {@code java.util.logging}
 * as the one backend (no jar to ship, already in the runtime image, and what Netty and
 * BouncyCastle log through), with Verifull's own line formats (text and JSON Lines) and a
 * size-bounded rotating file for the app. Every line carries a timestamp, a level and the
 * profile or engine name; messages are escaped with {@link dev.verifull.text.Printable}.
 * Not the audit log: that is a record of sessions and lives in {@code dev.verifull.audit}.
 */
package dev.verifull.logging;
