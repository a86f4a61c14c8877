/**
 * Engine lifecycle: turns profiles into running engines (one per started profile) on shared event
 * loops, publishes each profile's status; never blocks its caller.
 */
package dev.verifull.manager;
