package dev.verifull.tailscale;

import java.nio.file.Path;
import java.util.Objects;

/** One way to reach tailscaled, as found by {@link LocalApiDiscovery}. */
public sealed interface LocalApiEndpoint {

    /** Where, for messages: "at /var/run/tailscale/tailscaled.sock". */
    String where();

    /** tailscaled's Unix socket (Linux, BSD, the open-source macOS daemon). */
    record UnixSocket(Path path) implements LocalApiEndpoint {
        public UnixSocket {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String where() {
            return "at " + path;
        }
    }

    /**
     * A macOS GUI app's LocalAPI on 127.0.0.1 (never "localhost": Tailscale issue 7851), which
     * wants the same-user-proof token as the Basic-auth password.
     */
    record LoopbackPort(int port, String token, String app) implements LocalApiEndpoint {
        public LoopbackPort {
            if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(app, "app");
        }

        @Override
        public String where() {
            return "at 127.0.0.1:" + port + " (" + app + ")";
        }

        // The token grants full LocalAPI access: keep it out of logs.
        @Override
        public String toString() {
            return "LoopbackPort[port=" + port + ", token=***, app=" + app + "]";
        }
    }

    /** The Windows named pipe, opened as a file. */
    record NamedPipe(String path) implements LocalApiEndpoint {
        public NamedPipe {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String where() {
            return "at " + path;
        }
    }

    /** Last resort: the {@code tailscale} command ({@code --socket} passed on when one was configured). */
    record Cli(Path executable, Path socket) implements LocalApiEndpoint {
        public Cli {
            Objects.requireNonNull(executable, "executable");
        }

        public Cli(Path executable) {
            this(executable, null);
        }

        @Override
        public String where() {
            return "through the tailscale command " + executable;
        }
    }
}
