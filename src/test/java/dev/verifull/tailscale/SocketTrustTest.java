package dev.verifull.tailscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Unix sockets and directories, checked through their real owners and modes. Run as root
 * (as CI's containers do) the tests hand files to another uid with chown; run as anyone else,
 * the user running them stands in for root, and "someone else" is root left out of the trusted set.
 */
class SocketTrustTest {
    private static final int OTHER_UID = 1001;
    private static final int OTHER_GID = 1001;
    private static Integer myUid;

    @TempDir
    Path dir;
    private ServerSocketChannel listening;

    /** The uid this JVM runs as (the owner of the files it creates). */
    static synchronized int myUid() {
        if (myUid == null) {
            try {
                Path probe = Files.createTempFile("verifull-uid", ".probe");
                try {
                    myUid = (Integer) Files.getAttribute(probe, "unix:uid");
                } finally {
                    Files.delete(probe);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return myUid;
    }

    static boolean runningAsRoot() {
        return myUid() == 0;
    }

    @BeforeEach
    void unixOnly() {
        Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("unix"), "a Unix file system");
    }

    @AfterEach
    void close() throws IOException {
        if (listening != null) listening.close();
    }

    /** Root, plus this user standing in for root when the tests do not run as root. */
    static Set<Integer> rootAndMe() {
        return Set.copyOf(java.util.List.of(0, myUid()));
    }

    private static SocketTrust trust() {
        return new SocketTrust(rootAndMe(), Set.of(), Set.of(0));
    }

    /** A listening Unix socket at {@code relative}, in directories made private to their owner. */
    private Path socket(String relative) throws IOException {
        Path path = dir.resolve(relative);
        Files.createDirectories(path.getParent());
        for (Path p = path.getParent(); p.startsWith(dir) && !p.equals(dir); p = p.getParent()) mode(p, "rwxr-xr-x");
        listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listening.bind(UnixDomainSocketAddress.of(path));
        return path;
    }

    private static void mode(Path p, String permissions) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(permissions));
    }

    private static void chown(Path p, int uid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static String refusal(Path socket, String why) {
        return "refusing " + socket + ": " + why + "; a local user could impersonate tailscaled";
    }

    @Test
    void aSocketInDirectoriesOnlyRootCanChangeIsTrusted() throws IOException {
        assertEquals(Optional.empty(), trust().problem(socket("run/tailscale/tailscaled.sock")));
    }

    @Test
    void aSocketOwnedBySomeoneElseIsRefused() throws IOException {
        Path socket = socket("run/tailscale/tailscaled.sock");
        if (runningAsRoot()) {
            chown(socket, OTHER_UID);
            assertEquals(Optional.of(refusal(socket, "it is owned by uid " + OTHER_UID + ", not root")), trust().problem(socket));
        } else {
            Optional<String> problem = new SocketTrust(Set.of(0), Set.of(), Set.of(0)).problem(socket);
            assertTrue(problem.isPresent() && problem.get().contains("is owned by uid " + myUid() + " ")
                    && problem.get().endsWith(", not root; a local user could impersonate tailscaled"), String.valueOf(problem));
        }
    }

    @Test
    void aDirectoryOnTheWayOwnedBySomeoneElseIsRefused() throws IOException {
        Assumptions.assumeTrue(runningAsRoot(), "handing a directory to another user needs root");
        Path socket = socket("tmp/tailscale/tailscaled.sock");
        chown(socket.getParent(), OTHER_UID); // e.g. a local user made /tmp/tailscale before tailscaled did
        assertEquals(Optional.of(refusal(socket, "the directory " + socket.getParent() + " is owned by uid " + OTHER_UID
                + ", not root")), trust().problem(socket));
    }

    @Test
    void aWorldWritableDirectoryWithoutStickyBitIsRefused() throws IOException {
        Path socket = socket("run/tailscale/tailscaled.sock");
        mode(socket.getParent(), "rwxrwxrwx");
        assertEquals(Optional.of(refusal(socket, "the directory " + socket.getParent()
                + " is writable by everyone (mode 0777, no sticky bit)")), trust().problem(socket));
    }

    @Test
    void aGroupWritableDirectoryIsRefusedUnlessTheGroupIsRoots() throws IOException {
        Path socket = socket("run/tailscale/tailscaled.sock");
        mode(socket.getParent(), "rwxrwxr-x");
        int gid = (Integer) Files.getAttribute(socket.getParent(), "unix:gid");
        if (gid == 0) {
            assertEquals(Optional.empty(), trust().problem(socket), "root's group");
            Files.setAttribute(socket.getParent(), "unix:gid", OTHER_GID);
            gid = OTHER_GID;
        }
        assertEquals(Optional.of(refusal(socket, "the directory " + socket.getParent() + " is writable by group " + gid
                + " (mode 0775)")), trust().problem(socket));
    }

    @Test
    void aStickyDirectoryLikeTmpIsFineWhenTheEntryInItIsTrusted() throws IOException {
        Path socket = socket("tmp/tailscale/tailscaled.sock");
        Path tmp = socket.getParent().getParent();
        Files.setAttribute(tmp, "unix:mode", 01777); // what /tmp is
        assertEquals(Optional.empty(), trust().problem(socket), "only its owner can replace tmp/tailscale");
        if (runningAsRoot()) {
            chown(socket.getParent(), OTHER_UID);
            assertEquals(Optional.of(refusal(socket, "the directory " + socket.getParent() + " is owned by uid " + OTHER_UID
                    + ", not root")), trust().problem(socket));
        }
    }

    @Test
    void symbolicLinksAreFollowedAndTheLinksThemselvesChecked() throws IOException {
        Path real = socket("run/tailscale/tailscaled.sock");
        Path var = Files.createDirectories(dir.resolve("var"));
        mode(var, "rwxr-xr-x");
        Path link = Files.createSymbolicLink(var.resolve("run"), Path.of("../run")); // /var/run -> /run
        Path viaLink = link.resolve("tailscale/tailscaled.sock");
        assertEquals(Optional.empty(), trust().problem(viaLink));

        mode(real.getParent(), "rwxrwxrwx");
        assertEquals(Optional.of(refusal(viaLink, "the directory " + real.getParent()
                + " is writable by everyone (mode 0777, no sticky bit)")), trust().problem(viaLink), "the target is checked");
        mode(real.getParent(), "rwxr-xr-x");

        if (runningAsRoot()) {
            chown(link, OTHER_UID);
            assertEquals(Optional.of(refusal(viaLink, "the symbolic link " + link + " is owned by uid " + OTHER_UID + ", not root")),
                    trust().problem(viaLink), "the link itself is checked");
        }
    }

    @Test
    void theTailscaledUserOfTheSystemMayOwnIt() throws IOException {
        Assumptions.assumeTrue(runningAsRoot(), "handing the socket to another user needs root");
        Path socket = socket("var/packages/Tailscale/var/tailscaled.sock");
        chown(socket, OTHER_UID);
        String name = String.valueOf(Files.getAttribute(socket, "unix:owner", LinkOption.NOFOLLOW_LINKS));
        assertEquals(Optional.empty(), new SocketTrust(Set.of(0), Set.of(name), Set.of(0)).problem(socket),
                "as Synology's tailscale package user may");
    }
}
