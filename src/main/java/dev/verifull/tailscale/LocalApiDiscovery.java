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
import java.util.Set;
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

    // Where tailscaled puts its socket, and only there (sources in tailscale/tailscale unless named):

    /** Linux and BSD: paths.DefaultTailscaledSocket() in paths/paths.go. */
    public static final String DEFAULT_UNIX_SOCKET = "/var/run/tailscale/tailscaled.sock";
    /** Linux with systemd: the packaged unit's --socket (cmd/tailscaled/tailscaled.service); usually the same file. */
    static final String SYSTEMD_SOCKET = "/run/tailscale/tailscaled.sock";
    /** The Ubuntu snap: --socket $SNAP_COMMON/socket/tailscaled.sock (canonical/tailscale-snap, snap/snapcraft.yaml). */
    static final String SNAP_SOCKET = "/var/snap/tailscale/common/socket/tailscaled.sock";
    /** Synology DSM 7 and DSM 6: paths/paths.go and release/dist/synology/files/scripts/start-stop-status. */
    static final List<String> SYNOLOGY_SOCKETS = List.of("/var/packages/Tailscale/var/tailscaled.sock",
            "/var/packages/Tailscale/etc/tailscaled.sock");
    /**
     * Synology runs tailscaled as the package user (DSM 7, release/dist/synology/files/privilege-dsm7)
     * or chowns its directory to it (DSM 6), so that user may own the socket there.
     */
    static final String SYNOLOGY_USER = "tailscale";
    /** Gokrazy: paths/paths.go. */
    static final String GOKRAZY_SOCKET = "/perm/tailscaled/tailscaled.sock";
    /**
     * QNAP: paths/paths.go and release/dist/qnap/files/Tailscale/shared/Tailscale.sh, which makes
     * /tmp/tailscale (0755, as root). Only on QNAP, and then only if root owns it: /tmp is everyone's.
     */
    static final String QNAP_SOCKET = "/tmp/tailscale/tailscaled.sock";
    /** How tailscale's version/distro/distro.go recognises these systems. */
    static final String SYNOLOGY_MARKER = "/usr/syno";
    static final String QNAP_MARKER = "/etc/config/uLinux.conf";
    static final String GOKRAZY_MARKER = "/gokrazy";
    /** The open-source macOS daemon (paths/paths.go); note ".socket", not ".sock". */
    public static final String MACOS_DAEMON_SOCKET = "/var/run/tailscaled.socket";
    /** Windows: paths/paths.go. Only administrators can create pipes under ProtectedPrefix\\Administrators. */
    public static final String WINDOWS_PIPE = "\\\\.\\pipe\\ProtectedPrefix\\Administrators\\Tailscale\\tailscaled";
    /** macOS's /private/var/run is root:daemon 0775; daemon (gid 1) is a system group there. */
    private static final int MACOS_DAEMON_GROUP = 1;
    static final String MACSYS_DIR = "/Library/Tailscale";
    static final String MACOS_APP_CLI = "/Applications/Tailscale.app/Contents/MacOS/Tailscale";
    static final String APP_STORE_MARKER = ".tailscale.ipn.macos/sameuserproof-";
    static final String APP_STORE = "the Tailscale app from the App Store";
    static final String STANDALONE = "the standalone Tailscale app";
    private static final Duration LSOF_TIMEOUT = Duration.ofSeconds(2);
    static final int ROOT_UID = 0;

    private final Os os;
    private final Path root;
    private final Map<String, String> env;
    private final String userName;
    private final CommandRunner runner;
    private final Path socketOverride;
    private final Path commandOverride;
    private final Set<Integer> trustedUids;

    /**
     * @param root     where absolute Unix paths are looked up ({@code /} for real; a temp dir in tests)
     * @param userName for {@code lsof -u}
     */
    public LocalApiDiscovery(Os os, Path root, Map<String, String> env, String userName, CommandRunner runner,
            LocalApiSettings settings) {
        this(os, root, env, userName, runner, settings, Set.of(ROOT_UID));
    }

    /**
     * @param trustedUids who may own a discovered socket and the directories above it besides the
     *                    platform's tailscaled user: root ({@value #ROOT_UID}); tests not run as
     *                    root add their own uid to stand in for it
     */
    LocalApiDiscovery(Os os, Path root, Map<String, String> env, String userName, CommandRunner runner,
            LocalApiSettings settings, Set<Integer> trustedUids) {
        this.trustedUids = Set.copyOf(trustedUids);
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
        List<String> refused = new ArrayList<>();
        if (socketOverride != null) {
            // Like the CLI's --socket: the user named the endpoint, so try nothing else and trust it.
            endpoints.add(os == Os.WINDOWS ? new LocalApiEndpoint.NamedPipe(socketOverride.toString())
                    : new LocalApiEndpoint.UnixSocket(socketOverride));
        } else if (os == Os.WINDOWS) {
            // No existence check: probing a pipe by name can use up one of its instances.
            endpoints.add(new LocalApiEndpoint.NamedPipe(WINDOWS_PIPE));
        } else if (os == Os.MACOS) {
            appStoreApp(notes).ifPresent(endpoints::add);
            standaloneApp(notes).ifPresent(endpoints::add);
            endpoints.addAll(unixSockets(List.of(MACOS_DAEMON_SOCKET), MACOS_DAEMON_SOCKET,
                    new SocketTrust(trustedUids, Set.of(), Set.of(ROOT_UID, MACOS_DAEMON_GROUP)), endpoints.isEmpty(), refused));
        } else {
            endpoints.addAll(unixSockets(unixCandidates(), DEFAULT_UNIX_SOCKET, unixTrust(), true, refused));
        }
        notes.addAll(refused);
        if (!refused.isEmpty()) {
            // It would use the refused socket (its own default) without asking who owns it.
            notes.add("the tailscale command is not tried either, as it would use the same socket");
        } else {
            cli().ifPresent(endpoints::add);
        }
        return new Result(endpoints, notes);
    }

    /** The places tailscaled uses on this Linux (or BSD), in the order they are tried. */
    private List<String> unixCandidates() {
        List<String> out = new ArrayList<>();
        if (os == Os.LINUX) {
            if (Files.isDirectory(under(SYNOLOGY_MARKER))) out.addAll(SYNOLOGY_SOCKETS);
            else if (Files.exists(under(QNAP_MARKER))) out.add(QNAP_SOCKET);
            else if (Files.isDirectory(under(GOKRAZY_MARKER))) out.add(GOKRAZY_SOCKET);
        }
        out.add(DEFAULT_UNIX_SOCKET);
        if (os == Os.LINUX) {
            out.add(SYSTEMD_SOCKET);
            out.add(SNAP_SOCKET);
        }
        return out;
    }

    private SocketTrust unixTrust() {
        boolean synology = os == Os.LINUX && Files.isDirectory(under(SYNOLOGY_MARKER));
        return new SocketTrust(trustedUids, synology ? Set.of(SYNOLOGY_USER) : Set.of(), Set.of(ROOT_UID));
    }

    /**
     * Existing sockets from {@code candidates} that {@code trust} accepts, the same socket once;
     * when none is usable and {@code orDefault}, the default (so the message names where it was looked for).
     * Why a socket was refused goes to {@code refused}.
     */
    private List<LocalApiEndpoint> unixSockets(List<String> candidates, String defaultSocket, SocketTrust trust,
            boolean orDefault, List<String> refused) {
        Map<Path, LocalApiEndpoint> found = new LinkedHashMap<>();
        for (String candidate : candidates) {
            Path p = under(candidate);
            if (!Files.exists(p)) continue;
            Optional<String> problem = trust.problem(p);
            if (problem.isPresent()) {
                refused.add(problem.get());
                continue;
            }
            Path identity;
            try {
                identity = p.toRealPath(); // /var/run is usually a link to /run
            } catch (IOException e) {
                identity = p;
            }
            found.putIfAbsent(identity, new LocalApiEndpoint.UnixSocket(p));
        }
        if (found.isEmpty()) return orDefault ? List.of(new LocalApiEndpoint.UnixSocket(under(defaultSocket))) : List.of();
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
