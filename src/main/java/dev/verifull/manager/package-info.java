/**
 * The one path from settings to a running engine (EngineSpec, checked; EngineAssembly, shared by
 * the app and serve) and the app's engine lifecycle (EngineManager, ProfileStatus); never blocks.
 */
package dev.verifull.manager;
