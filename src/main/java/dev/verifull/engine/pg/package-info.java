/**
 * The PostgreSQL proxy: ProxyEngine (its one public class) wires Netty to the startup-phase
 * handler, the upstream legs and warm pool, the login watcher and the byte relay.
 */
package dev.verifull.engine.pg;
