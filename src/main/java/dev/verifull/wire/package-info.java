/**
 * Byte-exact PostgreSQL startup-phase messages (SSLRequest, StartupMessage, CancelRequest,
 * ErrorResponse, ...): small immutable types that decode and encode Netty buffers and nothing else.
 */
package dev.verifull.wire;
