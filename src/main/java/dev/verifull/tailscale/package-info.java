/**
 * Talking to tailscaled's LocalAPI: who this machine is on the tailnet, and who is behind an
 * incoming connection.
 *
 * <ul>
 *   <li>{@link dev.verifull.tailscale.LocalApiClient}: {@code status()}, {@code whois(peer)},
 *       {@code cert(domain)}; every call returns a future, has a timeout, and fails only with a
 *       {@link dev.verifull.tailscale.LocalApiException} whose message can be shown as is.</li>
 *   <li>{@link dev.verifull.tailscale.LocalApiDiscovery}: which socket, macOS app port, Windows
 *       pipe or {@code tailscale} command to use, tried in order (see the reference sheet
 *       {@code shared/reference/tailscale-localapi.md}); a socket found on its own only if
 *       {@code SocketTrust} finds root owns it and its directories.</li>
 *   <li>{@link dev.verifull.tailscale.StatusWatcher}, {@link dev.verifull.tailscale.WhoIsCache},
 *       {@link dev.verifull.tailscale.CertificateCache}: following state changes, short-lived
 *       identity caching, certificate renewal.</li>
 * </ul>
 */
package dev.verifull.tailscale;
