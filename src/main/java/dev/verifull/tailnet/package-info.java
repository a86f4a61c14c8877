/**
 * Tailscale-backed access and binding for an engine: who a peer is (whois) and whether the rules
 * allow them, following this machine's tailnet addresses, and the certificate clients are shown there.
 */
package dev.verifull.tailnet;
