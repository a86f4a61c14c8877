/**
 * What happens to session events after the engine: the live feed the window polls, the audit
 * records, and the one-line summaries {@code serve} prints.
 */
package dev.verifull.sessions;
