/**
 * The JSON Lines audit log: one record per session start, end and refusal, written off the event
 * loops, rotated, readable back for the window; a record of sessions, not a debug log.
 */
package dev.verifull.audit;
