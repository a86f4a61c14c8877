/**
 * What an engine is configured with and reports: EngineConfig, sessions and their records and
 * events, admission, refusals (what a client is told), event loops. The engine itself is engine.pg.
 */
package dev.verifull.engine;
