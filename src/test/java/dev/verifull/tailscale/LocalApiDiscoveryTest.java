package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.tailscale.LocalApiDiscovery.Os;
import dev.verifull.tailscale.LocalApiEndpoint.Cli;
import dev.verifull.tailscale.LocalApiEndpoint.LoopbackPort;
import dev.verifull.tailscale.LocalApiEndpoint.NamedPipe;
import dev.verifull.tailscale.LocalApiEndpoint.UnixSocket;

/** Discovery per platform, over a fake file-system root and fake lsof output. */
class LocalApiDiscoveryTest {
    static final String TOKEN = "4f2e0b7c9a1d3e5f6a7b";

    @TempDir
    Path root;

    /** lsof (or anything) answering with canned output, remembering what was run. */
    static final class FakeRunner implements CommandRunner {
        final List<List<String>> commands = new ArrayList<>();
        final Result result;
        final IOException failure;

        FakeRunner(Result result) {
            this.result = result;
            this.failure = null;
        }

        FakeRunner(IOException failure) {
            this.result = null;
            this.failure = failure;
        }

        static FakeRunner lsofFinds(String output) {
            return new FakeRunner(new Result(0, output, ""));
        }

        static FakeRunner lsofFindsNothing() {
            return new FakeRunner(new Result(1, "", ""));
        }

        @Override
        public Result run(List<String> command, Duration timeout) throws IOException {
            commands.add(command);
            if (failure != null) throw failure;
            return result;
        }
    }

    /** Root, and the user running the tests standing in for root when that is not root (the temp files are theirs). */
    static Set<Integer> trusted() {
        return SocketTrustTest.rootAndMe();
    }

    private LocalApiDiscovery.Result discover(Os os, Map<String, String> env, CommandRunner runner, LocalApiSettings settings) {
        return new LocalApiDiscovery(os, root, env, "alice", runner, settings, trusted()).discover();
    }

    private LocalApiDiscovery.Result discover(Os os, CommandRunner runner) {
        return discover(os, Map.of(), runner, LocalApiSettings.defaults());
    }

    private Path file(String absolute) throws IOException {
        Path p = root.resolve(absolute.substring(1));
        Files.createDirectories(p.getParent());
        return Files.exists(p) ? p : Files.createFile(p);
    }

    private Path executable(String absolute) throws IOException {
        Path p = file(absolute);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    private Path under(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    // ---- Linux and other Unix

    @Test
    void linuxUsesTheDefaultSocket() throws IOException {
        Path socket = file("/var/run/tailscale/tailscaled.sock");
        assertEquals(List.of(new UnixSocket(socket)), discover(Os.LINUX, FakeRunner.lsofFindsNothing()).endpoints());
    }

    @Test
    void linuxCountsVarRunAndRunAsOneSocket() throws IOException {
        Path socket = file("/run/tailscale/tailscaled.sock");
        Files.createDirectories(under("/var"));
        Files.createSymbolicLink(under("/var/run"), under("/run"));
        List<LocalApiEndpoint> found = discover(Os.LINUX, FakeRunner.lsofFindsNothing()).endpoints();
        assertEquals(1, found.size());
        assertEquals(socket.toRealPath(), ((UnixSocket) found.get(0)).path().toRealPath());
    }

    @Test
    void linuxFindsSynologyAndQnapSocketsOnThoseSystemsOnly() throws IOException {
        Path synology = file("/var/packages/Tailscale/var/tailscaled.sock");
        Path qnap = file("/tmp/tailscale/tailscaled.sock");
        Path defaultSocket = under(LocalApiDiscovery.DEFAULT_UNIX_SOCKET);
        assertEquals(List.of(new UnixSocket(defaultSocket)), discover(Os.LINUX, FakeRunner.lsofFindsNothing()).endpoints(),
                "an ordinary Linux: tailscaled never puts its socket there");

        Files.createDirectories(under("/usr/syno")); // how tailscale's version/distro knows Synology
        assertEquals(List.of(new UnixSocket(synology)), discover(Os.LINUX, FakeRunner.lsofFindsNothing()).endpoints());
        Files.delete(under("/usr/syno"));

        file("/etc/config/uLinux.conf"); // QNAP
        assertEquals(List.of(new UnixSocket(qnap)), discover(Os.LINUX, FakeRunner.lsofFindsNothing()).endpoints());
        assertEquals(List.of(new UnixSocket(defaultSocket)), discover(Os.OTHER_UNIX, FakeRunner.lsofFindsNothing()).endpoints());
    }

    @Test
    void linuxFindsTheSnapsSocket() throws IOException {
        Path snap = file("/var/snap/tailscale/common/socket/tailscaled.sock");
        assertEquals(List.of(new UnixSocket(snap)), discover(Os.LINUX, FakeRunner.lsofFindsNothing()).endpoints());
    }

    @Test
    void linuxWithoutSocketNamesTheDefaultAndFallsBackToTheCliOnPath() throws IOException {
        Path cli = executable("/usr/local/bin/tailscale");
        Files.createDirectories(under("/usr/bin"));
        Map<String, String> env = Map.of("PATH", under("/usr/bin") + ":" + under("/usr/local/bin"));
        assertEquals(List.of(new UnixSocket(under(LocalApiDiscovery.DEFAULT_UNIX_SOCKET)), new Cli(cli)),
                discover(Os.LINUX, env, FakeRunner.lsofFindsNothing(), LocalApiSettings.defaults()).endpoints());
    }

    @Test
    void aNonExecutableTailscaleOnPathIsIgnored() throws IOException {
        file("/usr/bin/tailscale");
        Map<String, String> env = Map.of("PATH", under("/usr/bin").toString());
        assertEquals(1, discover(Os.LINUX, env, FakeRunner.lsofFindsNothing(), LocalApiSettings.defaults()).endpoints().size());
    }

    @Test
    void configuredSocketIsTheOnlySocketTriedAndIsPassedToTheCli() throws IOException {
        file("/var/run/tailscale/tailscaled.sock");
        Path mine = root.resolve("custom.sock");
        Path cli = executable("/usr/bin/tailscale");
        Map<String, String> env = Map.of("PATH", under("/usr/bin").toString());
        assertEquals(List.of(new UnixSocket(mine), new Cli(cli, mine)),
                discover(Os.LINUX, env, FakeRunner.lsofFindsNothing(), LocalApiSettings.defaults().withSocket(mine)).endpoints());
    }

    // ---- macOS

    static String lsofOutput(String proofName) {
        return "p812\ncIPNExtension\nu501\nfcwd\nn/\nftxt\nn/Applications/Tailscale.app/Contents/PlugIns/IPNExtension.appex\n"
                + "f5\nn/Users/alice/Library/Group Containers/W5364U7YZB.io.tailscale.ipn.macos/" + proofName + "\n"
                + "f6\nn127.0.0.1:49213\n";
    }

    @Test
    void macAppStoreAppIsFoundThroughLsof() {
        FakeRunner lsof = FakeRunner.lsofFinds(lsofOutput("sameuserproof-49213-" + TOKEN));
        List<LocalApiEndpoint> found = discover(Os.MACOS, lsof).endpoints();
        assertEquals(List.of(new LoopbackPort(49213, TOKEN, LocalApiDiscovery.APP_STORE),
                new UnixSocket(under(LocalApiDiscovery.MACOS_DAEMON_SOCKET))).get(0), found.get(0));
        assertEquals(List.of("lsof", "-n", "-a", "-ualice", "-c", "IPNExtension", "-F"), lsof.commands.get(0));
    }

    @Test
    void lsofLinesWithoutAUsablePortAreSkipped() {
        assertEquals(Optional.empty(), LocalApiDiscovery.parseSameUserProof(lsofOutput("sameuserproof-notaport-" + TOKEN)));
        assertEquals(Optional.empty(), LocalApiDiscovery.parseSameUserProof(lsofOutput("sameuserproof-49213-")));
        assertEquals(Optional.empty(), LocalApiDiscovery.parseSameUserProof(lsofOutput("sameuserproof-99999-" + TOKEN)));
        assertEquals(Optional.empty(), LocalApiDiscovery.parseSameUserProof("n/tmp/io.tailscale.ipn.macsys/sameuserproof-1-2\n"));
        assertEquals(Optional.of(new LoopbackPort(1234, "ab-cd", LocalApiDiscovery.APP_STORE)),
                LocalApiDiscovery.parseSameUserProof("n/x/G.io.tailscale.ipn.macos/sameuserproof-1234-ab-cd\r\n"));
    }

    @Test
    void macStandaloneAppIsFoundThroughIpnportSymlinkAndTokenFile() throws IOException {
        Files.createDirectories(under("/Library/Tailscale"));
        Files.createSymbolicLink(under("/Library/Tailscale/ipnport"), Path.of("52345"));
        Files.writeString(under("/Library/Tailscale/sameuserproof-52345"), TOKEN + "\n");
        List<LocalApiEndpoint> found = discover(Os.MACOS, FakeRunner.lsofFindsNothing()).endpoints();
        assertEquals(List.of(new LoopbackPort(52345, TOKEN, LocalApiDiscovery.STANDALONE),
                new UnixSocket(under(LocalApiDiscovery.MACOS_DAEMON_SOCKET))).get(0), found.get(0));
        assertEquals(1, found.size(), "no daemon socket file, and the app was found: " + found);
    }

    @Test
    void macStandaloneTokenReadableOnlyByAdminsGivesANote() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads anything");
        Files.createDirectories(under("/Library/Tailscale"));
        Files.createSymbolicLink(under("/Library/Tailscale/ipnport"), Path.of("52345"));
        Path token = Files.writeString(under("/Library/Tailscale/sameuserproof-52345"), TOKEN + "\n");
        Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("---------"));
        LocalApiDiscovery.Result r = discover(Os.MACOS, FakeRunner.lsofFindsNothing());
        assertEquals(List.of(new UnixSocket(under(LocalApiDiscovery.MACOS_DAEMON_SOCKET))), r.endpoints());
        assertTrue(r.notes().get(0).contains("readable by administrators only"), r.notes().toString());
    }

    @Test
    void macTriesAppStoreThenStandaloneThenDaemonSocketThenTheAppsCli() throws IOException {
        Files.createDirectories(under("/Library/Tailscale"));
        Files.createSymbolicLink(under("/Library/Tailscale/ipnport"), Path.of("52345"));
        Files.writeString(under("/Library/Tailscale/sameuserproof-52345"), "tok2\n");
        Path socket = file(LocalApiDiscovery.MACOS_DAEMON_SOCKET);
        Path appCli = executable("/Applications/Tailscale.app/Contents/MacOS/Tailscale");
        List<LocalApiEndpoint> found = discover(Os.MACOS, FakeRunner.lsofFinds(lsofOutput("sameuserproof-49213-" + TOKEN))).endpoints();
        assertEquals(List.of(new LoopbackPort(49213, TOKEN, LocalApiDiscovery.APP_STORE),
                new LoopbackPort(52345, "tok2", LocalApiDiscovery.STANDALONE),
                new UnixSocket(socket), new Cli(appCli)), found);
    }

    @Test
    void macWithNothingRunningNamesTheDaemonSocket() {
        LocalApiDiscovery.Result r = discover(Os.MACOS, new FakeRunner(new IOException("lsof: not found")));
        assertEquals(List.of(new UnixSocket(under("/var/run/tailscaled.socket"))), r.endpoints());
        assertTrue(r.notes().get(0).startsWith("lsof could not be run"), r.notes().toString());
    }

    // ---- Windows

    @Test
    void windowsUsesTheProtectedPipeAndTheInstalledCli() throws IOException {
        Path programFiles = Files.createDirectories(root.resolve("Program Files"));
        Path cli = Files.createFile(Files.createDirectories(programFiles.resolve("Tailscale")).resolve("tailscale.exe"));
        List<LocalApiEndpoint> found = discover(Os.WINDOWS, Map.of("ProgramFiles", programFiles.toString()),
                FakeRunner.lsofFindsNothing(), LocalApiSettings.defaults()).endpoints();
        assertEquals(List.of(new NamedPipe("\\\\.\\pipe\\ProtectedPrefix\\Administrators\\Tailscale\\tailscaled"), new Cli(cli)), found);
    }

    @Test
    void windowsSearchesPathWithSemicolons() throws IOException {
        Path a = Files.createDirectories(root.resolve("a"));
        Path b = Files.createDirectories(root.resolve("b"));
        Path cli = Files.createFile(b.resolve("tailscale.exe"));
        List<LocalApiEndpoint> found = discover(Os.WINDOWS, Map.of("Path", a + ";" + b),
                FakeRunner.lsofFindsNothing(), LocalApiSettings.defaults()).endpoints();
        assertEquals(new Cli(cli), found.get(1));
    }

    @Test
    void windowsConfiguredPipe() {
        List<LocalApiEndpoint> found = discover(Os.WINDOWS, Map.of(), FakeRunner.lsofFindsNothing(),
                LocalApiSettings.defaults().withSocket(Path.of("mypipe"))).endpoints();
        assertEquals(List.of(new NamedPipe("mypipe")), found);
    }

    @Test
    void osNames() {
        assertEquals(Os.LINUX, Os.of("Linux"));
        assertEquals(Os.MACOS, Os.of("Mac OS X"));
        assertEquals(Os.WINDOWS, Os.of("Windows 11"));
        assertEquals(Os.OTHER_UNIX, Os.of("FreeBSD"));
    }

    // ---- discovery feeding the client

    @Test
    void clientFallsThroughAStaleAppPortToTheDaemonSocket() throws Exception {
        int stalePort;
        try (FakeLocalApi gone = FakeLocalApi.startTcp(TOKEN)) {
            stalePort = gone.port();
        }
        Path socketDir = under("/var/run");
        try (FakeLocalApi daemon = FakeLocalApi.startUnix(socketDir)) {
            Files.move(daemon.socketPath(), under(LocalApiDiscovery.MACOS_DAEMON_SOCKET));
            LocalApiDiscovery discovery = new LocalApiDiscovery(Os.MACOS, root, Map.of(), "alice",
                    FakeRunner.lsofFinds(lsofOutput("sameuserproof-" + stalePort + "-" + TOKEN)), LocalApiSettings.defaults(), trusted());
            try (LocalApiClient client = LocalApiClient.withDiscovery(discovery, LocalApiSettings.defaults(), CommandRunner.processes())) {
                assertEquals(BackendState.RUNNING, LocalApiClientTest.await(client.status()).state());
                assertEquals(new UnixSocket(under(LocalApiDiscovery.MACOS_DAEMON_SOCKET)), client.endpoint());
            }
        }
    }

    @Test
    void whenNothingAnswersTheMessageNamesEveryPlaceTried() throws Exception {
        int stalePort;
        try (FakeLocalApi gone = FakeLocalApi.startTcp(TOKEN)) {
            stalePort = gone.port();
        }
        Path leftover = file(LocalApiDiscovery.MACOS_DAEMON_SOCKET); // exists, nobody listens
        LocalApiDiscovery discovery = new LocalApiDiscovery(Os.MACOS, root, Map.of(), "alice",
                FakeRunner.lsofFinds(lsofOutput("sameuserproof-" + stalePort + "-" + TOKEN)), LocalApiSettings.defaults(), trusted());
        try (LocalApiClient client = LocalApiClient.withDiscovery(discovery, LocalApiSettings.defaults(), CommandRunner.processes())) {
            LocalApiException e = LocalApiClientTest.failure(client.status());
            assertInstanceOf(TailscaleUnreachableException.class, e);
            assertEquals("Tailscale is not reachable at 127.0.0.1:" + stalePort + " (the Tailscale app from the App Store)"
                    + " (connection refused), nor at " + leftover + " (connection refused)", e.getMessage());
        }
    }

    @Test
    void aDaemonStartedLaterIsFoundOnTheNextCall() throws Exception {
        LocalApiDiscovery discovery = new LocalApiDiscovery(Os.LINUX, root, Map.of(), "alice",
                FakeRunner.lsofFindsNothing(), LocalApiSettings.defaults(), trusted());
        try (LocalApiClient client = LocalApiClient.withDiscovery(discovery, LocalApiSettings.defaults(), CommandRunner.processes())) {
            assertInstanceOf(TailscaleUnreachableException.class, LocalApiClientTest.failure(client.status()));
            try (FakeLocalApi daemon = FakeLocalApi.startUnix(under("/run/tailscale"))) {
                assertEquals(BackendState.RUNNING, LocalApiClientTest.await(client.status()).state());
                assertEquals(new UnixSocket(daemon.socketPath()), client.endpoint());
            }
        }
    }

    /**
     * A local user serves a LocalAPI at QNAP's /tmp/tailscale/tailscaled.sock (here a real fake
     * tailscaled that would say anyone is anyone). Verifull refuses it, says why, never sends it a
     * request, and does not fall back to the tailscale command, which would use that same socket.
     */
    @Test
    void aFakeTailscaledThatRootDoesNotOwnIsRefusedAndNeverAsked() throws Exception {
        file("/etc/config/uLinux.conf"); // a QNAP, the one system where tailscaled uses /tmp
        Path cli = executable("/usr/bin/tailscale");
        try (FakeLocalApi impostor = FakeLocalApi.startUnix(under("/tmp/tailscale"))) {
            Path socket = impostor.socketPath();
            Set<Integer> trusted;
            if (SocketTrustTest.runningAsRoot()) {
                Files.setAttribute(socket.getParent(), "unix:uid", 1001);
                Files.setAttribute(socket, "unix:uid", 1001);
                trusted = Set.of(LocalApiDiscovery.ROOT_UID);
            } else {
                trusted = Set.of(LocalApiDiscovery.ROOT_UID); // this user's files are "someone else's" here
            }
            LocalApiDiscovery discovery = new LocalApiDiscovery(Os.LINUX, root, Map.of("PATH", cli.getParent().toString()),
                    "alice", FakeRunner.lsofFindsNothing(), LocalApiSettings.defaults(), trusted);
            LocalApiDiscovery.Result found = discovery.discover();
            assertEquals(List.of(new UnixSocket(under(LocalApiDiscovery.DEFAULT_UNIX_SOCKET))), found.endpoints(),
                    "neither the impostor nor the CLI");
            if (SocketTrustTest.runningAsRoot()) {
                assertEquals("refusing " + socket + ": the directory " + socket.getParent() + " is owned by uid 1001, not root;"
                        + " a local user could impersonate tailscaled", found.notes().get(0));
            }
            assertTrue(found.notes().get(0).startsWith("refusing " + socket + ": ")
                    && found.notes().get(0).endsWith("not root; a local user could impersonate tailscaled"), found.notes().toString());

            try (LocalApiClient client = LocalApiClient.withDiscovery(discovery, LocalApiSettings.defaults(), CommandRunner.processes())) {
                LocalApiException e = LocalApiClientTest.failure(client.status());
                assertInstanceOf(TailscaleUnreachableException.class, e);
                assertTrue(e.getMessage().contains("refusing " + socket + ": ")
                        && e.getMessage().contains("a local user could impersonate tailscaled"), e.getMessage());
            }
            assertEquals(List.of(), impostor.requests(), "the impostor was never asked anything");
        }
    }

    @Test
    void aSocketTheUserConfiguredIsTrustedAsItIs() throws Exception {
        try (FakeLocalApi mine = FakeLocalApi.startUnix(root.resolve("anywhere"))) {
            Files.setPosixFilePermissions(mine.socketPath().getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));
            LocalApiSettings settings = LocalApiSettings.defaults().withSocket(mine.socketPath());
            LocalApiDiscovery discovery = new LocalApiDiscovery(Os.LINUX, root, Map.of(), "alice",
                    FakeRunner.lsofFindsNothing(), settings, Set.of(LocalApiDiscovery.ROOT_UID));
            try (LocalApiClient client = LocalApiClient.withDiscovery(discovery, settings, CommandRunner.processes())) {
                assertEquals(BackendState.RUNNING, LocalApiClientTest.await(client.status()).state());
            }
        }
    }

    static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }
}
