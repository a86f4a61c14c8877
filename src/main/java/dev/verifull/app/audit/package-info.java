/**
 * The audit log view: reads the JSON Lines files in the background, filters them, exports CSV.
 */
package dev.verifull.app.audit;
