package dev.verifull.tailscale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Finds the ways to reach tailscaled on this machine, best first, the way Tailscale's own CLI
 * does (safesocket, paths). Pure logic over what it is given: OS name, a file-system root, the
 * environment and a command runner for {@code lsof}, so every platform can be tested anywhere.
 * {@link #discover()} blocks (file checks, lsof); call it off event loops.
 */
public final class LocalApiDiscovery {

    public enum Os {
        LINUX, MACOS, WINDOWS, OTHER_UNIX;

        public static Os of(String osName) {
            String n = osName.toLowerCase(Locale.ROOT);
            if (n.startsWith("linux")) return LINUX;
            if (n.startsWith("mac") || n.startsWith("darwin")) return MACOS;
            if (n.startsWith("windows")) return WINDOWS;
            return OTHER_UNIX;
        }
    }

    /** The endpoints to try in order, and anything worth telling a person when none works. */
    public record Result(List<LocalApiEndpoint> endpoints, List<String> notes) {
        public Result {
            endpoints = List.copyOf(endpoints);
            notes = List.copyOf(notes);
        }
    }

    public static final String DEFAULT_UNIX_SOCKET = "/var/run/tailscale/tailscaled.sock";
    /** Where tailscaled (Linux, BSD) may put its socket: default, systemd unit, Synology DSM 7 and 6, Gokrazy, QNAP. */
    static final List<String> UNIX_SOCKETS = List.of(DEFAULT_UNIX_SOCKET, "/run/tailscale/tailscaled.sock",
            "/var/packages/Tailscale/var/tailscaled.sock", "/var/packages/Tailscale/etc/tailscaled.sock",
            "/perm/tailscaled/tailscaled.sock", "/tmp/tailscale/tailscaled.sock");
    /** The open-source macOS daemon; note ".socket", not ".sock". */
    public static final String MACOS_DAEMON_SOCKET = "/var/run/tailscaled.socket";
    public static final String WINDOWS_PIPE = "\\\\.\\pipe\\ProtectedPrefix\\Administrators\\Tailscale\\tailscaled";
    static final String MACSYS_DIR = "/Library/Tailscale";
    static final String MACOS_APP_CLI = "/Applications/Tailscale.app/Contents/MacOS/Tailscale";
    static final String APP_STORE_MARKER = ".tailscale.ipn.macos/sameuserproof-";
    static final String APP_STORE = "the Tailscale app from the App Store";
    static final String STANDALONE = "the standalone Tailscale app";
    private static final Duration LSOF_TIMEOUT = Duration.ofSeconds(2);

    private final Os os;
    private final Path root;
    private final Map<String, String> env;
    private final String userName;
    private final CommandRunner runner;
    private final Path socketOverride;
    private final Path commandOverride;

    /**
     * @param root     where absolute Unix paths are looked up ({@code /} for real; a temp dir in tests)
     * @param userName for {@code lsof -u}
     */
    public LocalApiDiscovery(Os os, Path root, Map<String, String> env, String userName, CommandRunner runner,
            LocalApiSettings settings) {
        this.os = Objects.requireNonNull(os);
        this.root = Objects.requireNonNull(root);
        this.env = Map.copyOf(env);
        this.userName = Objects.requireNonNull(userName);
        this.runner = Objects.requireNonNull(runner);
        this.socketOverride = settings.socket();
        this.commandOverride = settings.tailscaleCommand();
    }

    public static LocalApiDiscovery forThisMachine(LocalApiSettings settings) {
        Path root = Path.of(System.getProperty("os.name", "").startsWith("Windows") ? "C:\\" : "/");
        return new LocalApiDiscovery(Os.of(System.getProperty("os.name", "")), root, System.getenv(),
                System.getProperty("user.name", ""), CommandRunner.processes(), settings);
    }

    public Result discover() {
        List<LocalApiEndpoint> endpoints = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (socketOverride != null) {
            // Like the CLI's --socket: the user named the endpoint, so try nothing else.
            endpoints.add(os == Os.WINDOWS ? new LocalApiEndpoint.NamedPipe(socketOverride.toString())
                    : new LocalApiEndpoint.UnixSocket(socketOverride));
        } else if (os == Os.WINDOWS) {
            // No existence check: probing a pipe by name can use up one of its instances.
            endpoints.add(new LocalApiEndpoint.NamedPipe(WINDOWS_PIPE));
        } else if (os == Os.MACOS) {
            appStoreApp(notes).ifPresent(endpoints::add);
            standaloneApp(notes).ifPresent(endpoints::add);
            Path socket = under(MACOS_DAEMON_SOCKET);
            if (Files.exists(socket) || endpoints.isEmpty()) endpoints.add(new LocalApiEndpoint.UnixSocket(socket));
        } else {
            endpoints.addAll(unixSockets());
        }
        cli().ifPresent(endpoints::add);
        return new Result(endpoints, notes);
    }

    /** Existing sockets from the known places, the same socket once; the default when none exists (for the message). */
    private List<LocalApiEndpoint> unixSockets() {
        Map<Path, LocalApiEndpoint> found = new LinkedHashMap<>();
        for (String candidate : UNIX_SOCKETS) {
            Path p = under(candidate);
            if (!Files.exists(p)) continue;
            Path identity;
            try {
                identity = p.toRealPath(); // /var/run is usually a link to /run
            } catch (IOException e) {
                identity = p;
            }
            found.putIfAbsent(identity, new LocalApiEndpoint.UnixSocket(p));
        }
        if (found.isEmpty()) return List.of(new LocalApiEndpoint.UnixSocket(under(DEFAULT_UNIX_SOCKET)));
        return List.copyOf(found.values());
    }

    /**
     * The App Store app's network extension keeps {@code sameuserproof-PORT-TOKEN} open in its
     * group container; lsof shows us the name (we never need to read the container).
     */
    private Optional<LocalApiEndpoint> appStoreApp(List<String> notes) {
        try {
            CommandRunner.Result r = runner.run(List.of("lsof", "-n", "-a", "-u" + userName, "-c", "IPNExtension", "-F"),
                    LSOF_TIMEOUT);
            return parseSameUserProof(r.stdout());
        } catch (IOException | TimeoutException e) {
            notes.add("lsof could not be run to look for the Tailscale app (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    /** The port and token from lsof's output, if the App Store app's proof file is among it. */
    static Optional<LocalApiEndpoint> parseSameUserProof(String lsofOutput) {
        for (String line : lsofOutput.split("\\R")) {
            int at = line.indexOf(APP_STORE_MARKER);
            if (at < 0) continue;
            String portAndToken = line.substring(at + APP_STORE_MARKER.length()).strip();
            int dash = portAndToken.indexOf('-');
            if (dash <= 0 || dash == portAndToken.length() - 1) continue;
            Optional<Integer> port = port(portAndToken.substring(0, dash));
            if (port.isPresent()) {
                return Optional.of(new LocalApiEndpoint.LoopbackPort(port.get(), portAndToken.substring(dash + 1), APP_STORE));
            }
        }
        return Optional.empty();
    }

    /**
     * The standalone app: {@code /Library/Tailscale/ipnport} is a symlink whose target is the
     * port; {@code sameuserproof-PORT} holds the token, readable by the admin group only (1.82+).
     * A stale pair left by a stopped app is fine here: connecting fails fast and the next
     * endpoint is tried.
     */
    private Optional<LocalApiEndpoint> standaloneApp(List<String> notes) {
        Path link = under(MACSYS_DIR + "/ipnport");
        if (!Files.isSymbolicLink(link)) return Optional.empty();
        Optional<Integer> port;
        try {
            port = port(Files.readSymbolicLink(link).toString());
        } catch (IOException e) {
            return Optional.empty();
        }
        if (port.isEmpty()) return Optional.empty();
        Path tokenFile = under(MACSYS_DIR + "/sameuserproof-" + port.get());
        try {
            String token = Files.readString(tokenFile, StandardCharsets.US_ASCII).strip();
            if (token.isEmpty()) return Optional.empty();
            return Optional.of(new LocalApiEndpoint.LoopbackPort(port.get(), token, STANDALONE));
        } catch (AccessDeniedException e) {
            notes.add(STANDALONE + " runs, but its token " + tokenFile
                    + " is readable by administrators only; use an admin account or the open-source tailscaled");
        } catch (IOException e) {
            // no token file: the app is not running
        }
        return Optional.empty();
    }

    private Optional<LocalApiEndpoint> cli() {
        if (commandOverride != null) return Optional.of(new LocalApiEndpoint.Cli(commandOverride, socketOverride));
        String name = os == Os.WINDOWS ? "tailscale.exe" : "tailscale";
        String path = env.getOrDefault("PATH", env.getOrDefault("Path", ""));
        for (String dir : path.split(os == Os.WINDOWS ? ";" : ":")) {
            if (dir.isBlank()) continue;
            Optional<Path> exe = executable(dir, name);
            if (exe.isPresent()) return Optional.of(new LocalApiEndpoint.Cli(exe.get(), socketOverride));
        }
        Optional<Path> bundled = Optional.empty();
        if (os == Os.MACOS) {
            bundled = executable(under(MACOS_APP_CLI));
        } else if (os == Os.WINDOWS && env.containsKey("ProgramFiles")) {
            bundled = executable(env.get("ProgramFiles"), "Tailscale", "tailscale.exe");
        }
        return bundled.map(exe -> new LocalApiEndpoint.Cli(exe, socketOverride));
    }

    private Optional<Path> executable(String dir, String... names) {
        try {
            return executable(Path.of(dir, names));
        } catch (InvalidPathException e) {
            return Optional.empty();
        }
    }

    private Optional<Path> executable(Path p) {
        boolean ok = Files.isRegularFile(p) && (os == Os.WINDOWS || Files.isExecutable(p));
        return ok ? Optional.of(p) : Optional.empty();
    }

    private Path under(String absoluteUnixPath) {
        return root.resolve(absoluteUnixPath.substring(1));
    }

    private static Optional<Integer> port(String text) {
        try {
            int port = Integer.parseInt(text.strip());
            return port > 0 && port <= 65535 ? Optional.of(port) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
