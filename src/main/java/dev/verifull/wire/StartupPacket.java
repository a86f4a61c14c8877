package dev.verifull.wire;

/**
 * A packet a client may send first: Int32 length (including itself), Int32 code, body. Unlike
 * later messages these carry no type byte; the code tells them apart.
 */
public sealed interface StartupPacket permits SslRequest, GssEncRequest, CancelRequest, StartupMessage {}
