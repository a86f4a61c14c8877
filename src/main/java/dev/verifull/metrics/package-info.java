/**
 * Prometheus metrics and health endpoints. {@link dev.verifull.metrics.EngineMetrics} counts what
 * an engine's session events and upstream attempts say (the engine does not know this package);
 * {@link dev.verifull.metrics.Exposition} writes the text format by hand (a few dozen lines, no
 * jar and no JDK module the runtime images lack); {@link dev.verifull.metrics.HealthEndpoint}
 * serves {@code /metrics}, {@code /healthz} and {@code /readyz} over Netty's HTTP codec, which
 * the Tailscale LocalAPI client already ships.
 */
package dev.verifull.metrics;
