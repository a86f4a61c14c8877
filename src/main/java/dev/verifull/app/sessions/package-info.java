/**
 * The live sessions table: rows polled from the session feed, filters, and ending a session.
 */
package dev.verifull.app.sessions;
