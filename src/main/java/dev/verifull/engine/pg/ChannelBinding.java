package dev.verifull.engine.pg;

import dev.verifull.wire.ErrorResponse;

/**
 * SCRAM channel binding and TLS termination. A client with TLS to Verifull and channel binding
 * "prefer" tells the server it supports binding; the server (TLS to Verifull) sees a downgrade
 * and refuses. The flag is covered by the client's proof, so no proxy can fix it; the best we can
 * do is tell the user what works instead of the server's puzzling message.
 */
final class ChannelBinding {
    private ChannelBinding() {}

    static boolean isDowngradeError(ErrorResponse error) {
        String m = error.message() == null ? "" : error.message();
        String d = error.detail() == null ? "" : error.detail();
        return m.contains("channel binding") || d.contains("channel binding");
    }

    static ErrorResponse explain(ErrorResponse serverError) {
        return ErrorResponse.fatal("28000",
                "verifull: SCRAM channel binding cannot work through Verifull over TLS (the server said: "
                        + serverError.message() + ")",
                "Your client connected to Verifull with TLS and offered channel binding, which ties the login to the "
                        + "certificate it sees: Verifull's, not the database server's. The server therefore refused the login.",
                "Connect to Verifull without TLS (sslmode=disable; the tailnet already encrypts the connection, "
                        + "and Verifull verifies the server), or turn channel binding off: channel_binding=disable "
                        + "(libpq, psql) or channelBinding=disable (pgJDBC).");
    }
}
