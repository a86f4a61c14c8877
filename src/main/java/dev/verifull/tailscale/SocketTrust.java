package dev.verifull.tailscale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a socket found in one of tailscaled's usual places may be trusted to be
 * tailscaled: whoever answers on it decides every whois answer and where Verifull listens. The
 * socket and every directory on the way to it (symbolic links followed, each link checked too)
 * must be owned by root (or by the user tailscaled runs as on that system), and no directory may
 * be writable by anyone else, unless it has the sticky bit (like {@code /tmp}), where others can
 * add entries but not replace ours, and the entry we use is owned by a trusted user.
 *
 * <p>A socket the user configured is not checked: they said where tailscaled is.
 */
final class SocketTrust {
    private static final int MAX_LINKS = 40;
    private static final int S_ISVTX = 01000;
    private static final int S_IWGRP = 020;
    private static final int S_IWOTH = 02;

    private final Set<Integer> trustedUids;
    private final Set<String> trustedUsers;
    private final Set<Integer> trustedGroups;
    private final String whom;

    /**
     * @param trustedUids   owners by number; production: {@code 0} (tests may add their own uid)
     * @param trustedUsers  owners by name, e.g. Synology's {@code tailscale} package user
     * @param trustedGroups groups that may write a directory on the way (system groups only)
     */
    SocketTrust(Set<Integer> trustedUids, Set<String> trustedUsers, Set<Integer> trustedGroups) {
        this.trustedUids = Set.copyOf(trustedUids);
        this.trustedUsers = Set.copyOf(trustedUsers);
        this.trustedGroups = Set.copyOf(trustedGroups);
        List<String> names = new ArrayList<>(List.of("root"));
        names.addAll(trustedUsers.stream().sorted().toList());
        this.whom = String.join(" or ", names);
    }

    /** Why {@code socket} must not be used, or empty when it may. Reads the real file attributes. */
    Optional<String> problem(Path socket) {
        Path absolute = socket.toAbsolutePath();
        try {
            return walk(absolute).map(why -> "refusing " + absolute + ": " + why + "; a local user could impersonate tailscaled");
        } catch (NoSuchFileException gone) {
            return Optional.of("refusing " + absolute + ": " + gone.getFile() + " disappeared while it was checked");
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.of("refusing " + absolute + ": its owner cannot be checked (" + e + ")");
        }
    }

    private Optional<String> walk(Path socket) throws IOException {
        Path root = socket.getRoot();
        Optional<String> rootProblem = directoryProblem(root, read(root));
        if (rootProblem.isPresent()) return rootProblem;
        Deque<String> remaining = new ArrayDeque<>(names(socket));
        Path current = root;
        int links = 0;
        while (!remaining.isEmpty()) {
            String name = remaining.pollFirst();
            if (name.equals(".")) continue;
            if (name.equals("..")) {
                current = current.getParent() != null ? current.getParent() : current;
                continue;
            }
            Path next = current.resolve(name);
            Owner entry = read(next);
            if (!trusted(entry)) return Optional.of(subject(next, entry, socket) + " is owned by " + entry + ", not " + whom);
            if (entry.symlink()) {
                if (++links > MAX_LINKS) return Optional.of("too many symbolic links on the way to it");
                Path target = Files.readSymbolicLink(next);
                List<String> targetNames = names(target);
                for (int i = targetNames.size() - 1; i >= 0; i--) remaining.addFirst(targetNames.get(i));
                if (target.isAbsolute()) current = target.getRoot();
                continue;
            }
            if (!remaining.isEmpty()) {
                if (!entry.directory()) return Optional.of(next + " is not a directory");
                Optional<String> problem = directoryProblem(next, entry);
                if (problem.isPresent()) return problem;
            }
            current = next;
        }
        return Optional.empty();
    }

    /** A directory on the way: trusted owner, and nobody else may swap its entries. */
    private Optional<String> directoryProblem(Path dir, Owner attributes) {
        if (!trusted(attributes)) return Optional.of("the directory " + dir + " is owned by " + attributes + ", not " + whom);
        if ((attributes.mode() & S_ISVTX) != 0) return Optional.empty(); // entries are owner-checked one by one
        if ((attributes.mode() & S_IWOTH) != 0) {
            return Optional.of("the directory " + dir + " is writable by everyone (mode " + octal(attributes.mode()) + ", no sticky bit)");
        }
        if ((attributes.mode() & S_IWGRP) != 0 && !trustedGroups.contains(attributes.gid())) {
            return Optional.of("the directory " + dir + " is writable by group " + attributes.gid()
                    + " (mode " + octal(attributes.mode()) + ")");
        }
        return Optional.empty();
    }

    private static String subject(Path path, Owner entry, Path socket) {
        if (path.equals(socket)) return "it";
        return (entry.symlink() ? "the symbolic link " : entry.directory() ? "the directory " : "") + path;
    }

    private boolean trusted(Owner owner) {
        return (owner.uid() >= 0 && trustedUids.contains(owner.uid())) || trustedUsers.contains(owner.name())
                || (owner.uid() < 0 && "root".equals(owner.name()));
    }

    private static List<String> names(Path p) {
        List<String> out = new ArrayList<>();
        for (Path part : p) out.add(part.toString());
        return out;
    }

    private static String octal(int mode) {
        return String.format("%04o", mode & 07777);
    }

    /** Owner, group and mode of a path itself (a link is not followed). */
    record Owner(int uid, String name, int gid, int mode, boolean directory, boolean symlink) {
        @Override
        public String toString() {
            return uid >= 0 ? "uid " + uid : name;
        }
    }

    static Owner read(Path p) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:uid,gid,mode,owner", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & 0170000;
            return new Owner((Integer) a.get("uid"), String.valueOf(a.get("owner")), (Integer) a.get("gid"), mode,
                    type == 0040000, type == 0120000);
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            // A Unix without the "unix" attribute view: names and permission bits only.
            PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission perm : a.permissions()) mode |= 1 << (8 - perm.ordinal());
            return new Owner(-1, a.owner().getName(), -1, mode, a.isDirectory(), a.isSymbolicLink());
        }
    }
}
