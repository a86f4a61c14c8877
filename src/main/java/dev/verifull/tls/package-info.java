/**
 * Everything about certificates: PEM loading, verify-full trust managers and their diagnosis, the
 * local CA that signs client-facing certificates, and SslContext factories per TLS provider.
 */
package dev.verifull.tls;
