package dev.verifull.engine.pg;

import java.util.concurrent.TimeUnit;

import dev.verifull.engine.Session;
import dev.verifull.engine.SessionEnd;
import dev.verifull.engine.SessionEnd.Cause;
import dev.verifull.wire.ErrorResponse;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;

/**
 * Finds out who ended a relayed session and how: it sees what each side sent last (a client's
 * Terminate, a server's FATAL error) and which side finished first, and it cuts a session for
 * Verifull with an ErrorResponse put between the server's messages. Everything runs on the
 * session's event loop (both connections share it).
 */
final class SessionEnding {
    /** Terminate: type 'X', length 4. */
    private static final long TERMINATE = 0x58_00_00_00_04L;
    private static final long FIVE_BYTES = 0xFF_FF_FF_FF_FFL;
    /** How long a cut waits for the server's message under way to end before it closes without the error. */
    private static final long CUT_WAIT_MILLIS = 1000;

    private final Session session;
    private final ServerFrames serverFrames = new ServerFrames();
    private Channel client;
    private Channel server;
    private long clientTail;
    private int clientTailBytes;
    private Cause firstToFinish;
    private SessionEnd verifull;
    private boolean cutPending;
    private boolean cutDone;

    SessionEnding(Session session) {
        this.session = session;
    }

    void connect(Channel client, Channel server) {
        this.client = client;
        this.server = server;
    }

    /** Counts and watches bytes from the client: only the last five are kept (a Terminate message is five). */
    final RelayHandler.Direction fromClient = new RelayHandler.Direction() {
        @Override
        public int read(ByteBuf buf) {
            int n = buf.readableBytes();
            session.addBytesFromClient(n);
            int end = buf.writerIndex();
            if (n >= 5) {
                clientTail = (buf.getByte(end - 5) & 0xFFL) << 32 | (buf.getInt(end - 4) & 0xFFFF_FFFFL);
                clientTailBytes = 5;
            } else {
                for (int i = buf.readerIndex(); i < end; i++) clientTail = (clientTail << 8 | (buf.getByte(i) & 0xFF)) & FIVE_BYTES;
                clientTailBytes = Math.min(5, clientTailBytes + n);
            }
            return n;
        }

        @Override
        public void finished() {
            if (firstToFinish == null) firstToFinish = Cause.CLIENT_CLOSED;
        }
    };

    /** Counts and follows the server's messages; during a cut, passes on only the rest of the message under way. */
    final RelayHandler.Direction fromServer = new RelayHandler.Direction() {
        @Override
        public int read(ByteBuf buf) {
            if (!cutPending) {
                session.addBytesToClient(buf.readableBytes());
                serverFrames.read(buf);
                return buf.readableBytes();
            }
            // Cutting: the rest of the message under way goes to the client, then Verifull's error.
            int before = serverFrames.readToBoundary(buf);
            session.addBytesToClient(before);
            if (serverFrames.atBoundary()) client.eventLoop().execute(SessionEnding.this::cutNow);
            return before;
        }

        @Override
        public void finished() {
            if (firstToFinish == null) firstToFinish = Cause.SERVER_CLOSED;
        }
    };

    /**
     * Verifull ends the session: the client gets a FATAL ErrorResponse saying why (once the
     * server's message under way is complete), then both connections close.
     */
    void cut(SessionEnd how) {
        if (verifull != null) return;
        verifull = how;
        if (serverFrames.atBoundary()) {
            cutNow();
        } else {
            cutPending = true;
            client.eventLoop().schedule(() -> {
                if (client.isActive()) closeBoth(); // the message never ended: a bare close is all that is left
            }, CUT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private void cutNow() {
        if (cutDone) return;
        cutDone = true;
        cutPending = false;
        server.config().setAutoRead(false);
        if (client.isActive()) {
            client.writeAndFlush(errorFor(verifull.cause()).encode(client.alloc())).addListener(ChannelFutureListener.CLOSE);
        }
        server.close();
    }

    private void closeBoth() {
        server.close();
        client.close();
    }

    /** What the client reads when Verifull ends its session: FATAL, SQLSTATE 57P01 (admin_shutdown) as PostgreSQL's own. */
    static ErrorResponse errorFor(Cause cause) {
        String why = switch (cause) {
            case GRACE_OVER -> "Verifull is shutting down and the grace period for open sessions is over";
            case ENDED_IN_APP -> "the session was ended in Verifull";
            default -> "Verifull is shutting down";
        };
        return ErrorResponse.fatal("57P01", "verifull: terminating connection: " + why, null,
                "Connect again once Verifull is running.");
    }

    /** Who ended the session, decided when the client connection has closed. */
    SessionEnd decide() {
        if (verifull != null) return verifull;
        ErrorResponse fatal = serverFrames.fatalError();
        if (fatal != null) return SessionEnd.serverError(fatal.sqlState(), fatal.message());
        if (clientTailBytes == 5 && clientTail == TERMINATE) return SessionEnd.of(Cause.CLIENT_TERMINATE);
        return SessionEnd.of(firstToFinish == Cause.SERVER_CLOSED ? Cause.SERVER_CLOSED : Cause.CLIENT_CLOSED);
    }
}
