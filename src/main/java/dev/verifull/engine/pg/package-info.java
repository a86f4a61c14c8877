/**
 * The PostgreSQL proxy: ProxyEngine (its one public class) wires Netty to the startup-phase
 * machine (ClientStartupHandler, StartupPhase, with the engine's StartupPool), the upstream legs
 * (EngineUpstreams: new, warm, or one of a few speculative ones; UpstreamCounter), cancel
 * forwarding, the login watcher and the byte relay.
 */
package dev.verifull.engine.pg;

