package dev.verifull.profile;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/** Suggests a listen port for a new profile. */
public final class FreePorts {
    private static final InetAddress LOOPBACK_V4 = loopbackV4();

    private FreePorts() {}

    private static InetAddress loopbackV4() {
        try {
            return InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1});
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e); // four bytes are always a valid address
        }
    }

    /**
     * The first port from {@code start} up that no other profile uses and that can be bound on
     * 127.0.0.1 right now (another program may take it later; starting the engine tells).
     *
     * @param taken the listen ports of the other profiles, running or not
     * @throws IllegalStateException no port from {@code start} to 65535 is free
     */
    public static int firstFreeFrom(int start, Set<Integer> taken) {
        for (int port = Math.max(1, start); port <= 65535; port++) {
            if (!taken.contains(port) && bindable(port)) return port;
        }
        throw new IllegalStateException("no free port from " + start + " to 65535 on 127.0.0.1");
    }

    static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(LOOPBACK_V4, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
