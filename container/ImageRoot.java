import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Lays out target/image-root: the files the container image has besides the application's jars
 * (which Jib adds under /app). The image starts FROM scratch, so it carries what a JRE needs and
 * nothing else:
 *
 * <pre>
 *   /opt/verifull/runtime          target/server-runtime (jlink/BuildRuntime.java --server), with
 *                                  the JDK's CA certificates in lib/security/cacerts
 *   /lib..., /usr/lib...           the shared libraries (glibc, libstdc++, zlib) that the runtime's
 *                                  binaries and Netty's natives link against, found with ldd on the
 *                                  build machine and copied as files (no symbolic links)
 *   /etc/passwd, /etc/group        root and the user the image runs as (verifull, 65532)
 *   /etc/nsswitch.conf             /etc/hosts before DNS
 *   /etc/verifull                  where configuration is mounted (serve.args, CA files)
 *   /tmp, /var/lib/verifull        writable: Netty unpacks its natives to /tmp; VERIFULL_HOME
 *   /usr/share/doc/.../copyright   the licences of the copied libraries' Debian/Ubuntu packages
 * </pre>
 *
 * Linux only, run from the project root after BuildRuntime --server; {@code ./mvnw -Pimage package}
 * runs both and then Jib.
 */
public final class ImageRoot {
    static final Path TARGET = Path.of("target");
    static final Path ROOT = TARGET.resolve("image-root");
    static final Path RUNTIME = TARGET.resolve("server-runtime");
    static final String UID = "65532";

    public static void main(String[] args) throws Exception {
        if (!System.getProperty("os.name").startsWith("Linux")) fail("the container image is built on Linux (it takes the build machine's C library)");
        if (!Files.isRegularFile(RUNTIME.resolve("release"))) fail(RUNTIME + " is missing: run java jlink/BuildRuntime.java --server first");
        deleteTree(ROOT);
        Path runtime = ROOT.resolve("opt/verifull/runtime");
        copyTree(RUNTIME, runtime);
        checkCaCertificates(runtime.resolve("lib/security/cacerts"));

        // Everything that will be loaded: the launcher, the runtime's libraries, Netty's natives.
        List<Path> binaries = new ArrayList<>();
        try (Stream<Path> s = Files.walk(runtime)) {
            s.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".so") || p.getParent().getFileName().toString().equals("bin"))
                    .forEach(binaries::add);
        }
        Path natives = Files.createTempDirectory("verifull-natives-");
        binaries.addAll(nettyNatives(natives));

        TreeMap<String, Path> libraries = new TreeMap<>(); // path in the image -> file on this machine
        for (Path binary : binaries) libraries.putAll(sharedLibraries(binary));
        deleteTree(natives);
        for (var e : libraries.entrySet()) {
            Path to = ROOT.resolve(e.getKey().substring(1));
            Files.createDirectories(to.getParent());
            Files.copy(e.getValue().toRealPath(), to, StandardCopyOption.REPLACE_EXISTING); // the file, not a link
        }
        copyLicences(libraries.values());

        Path etc = Files.createDirectories(ROOT.resolve("etc"));
        Files.writeString(etc.resolve("passwd"),
                "root:x:0:0:root:/root:/sbin/nologin\n"
                        + "verifull:x:" + UID + ":" + UID + ":Verifull:/var/lib/verifull:/sbin/nologin\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nverifull:x:" + UID + ":\n");
        Files.writeString(etc.resolve("nsswitch.conf"), "hosts: files dns\n");
        Files.createDirectories(etc.resolve("verifull"));
        Files.createDirectories(ROOT.resolve("tmp"));
        Files.createDirectories(ROOT.resolve("var/lib/verifull"));

        System.out.printf("container/ImageRoot: %s ready: runtime %d MB, %d shared libraries (%d MB): %s%n", ROOT,
                size(runtime) >> 20, libraries.size(), libraries.values().stream().mapToLong(ImageRoot::fileSize).sum() >> 20,
                libraries.keySet());
    }

    /** The JDK's trust store, for --upstream-system-trust: it must be there and hold certificates. */
    static void checkCaCertificates(Path cacerts) throws Exception {
        if (!Files.isRegularFile(cacerts, LinkOption.NOFOLLOW_LINKS)) fail(cacerts + " is missing or a link");
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        try (InputStream in = Files.newInputStream(cacerts)) {
            ks.load(in, null);
        }
        if (ks.size() < 50) fail(cacerts + " holds only " + ks.size() + " certificates");
    }

    /** Netty's .so files (tcnative, epoll, io_uring) from target/lib, unpacked for ldd. */
    static List<Path> nettyNatives(Path into) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> s = Files.list(TARGET.resolve("lib"))) {
            for (Path jar : s.filter(p -> p.getFileName().toString().startsWith("netty-")).sorted().collect(Collectors.toList())) {
                try (ZipFile z = new ZipFile(jar.toFile())) {
                    for (ZipEntry e : java.util.Collections.list(z.entries())) {
                        if (!e.getName().startsWith("META-INF/native/") || !e.getName().endsWith(".so")) continue;
                        Path out = into.resolve(Path.of(e.getName()).getFileName().toString());
                        try (InputStream in = z.getInputStream(e)) {
                            Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                        }
                        found.add(out);
                    }
                }
            }
        }
        if (found.isEmpty()) fail("no Netty natives in target/lib (is this a Linux build?)");
        return found;
    }

    private static final Pattern RESOLVED = Pattern.compile("^\\s*(\\S+) => (/\\S+) \\(0x");
    private static final Pattern LOADER = Pattern.compile("^\\s*(/\\S+) \\(0x");

    /**
     * The system libraries a binary links against (ldd), by the path the dynamic loader finds them
     * at. Libraries inside the runtime are skipped (they are in the image already), and so is a
     * libjvm.so that ldd cannot find: the launcher loads it from the runtime.
     */
    static TreeMap<String, Path> sharedLibraries(Path binary) throws Exception {
        Process p = new ProcessBuilder("ldd", binary.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) fail("ldd " + binary + " hangs");
        TreeMap<String, Path> libs = new TreeMap<>();
        if (out.contains("not a dynamic executable") || out.contains("statically linked")) return libs;
        for (String line : out.split("\n")) {
            Matcher m = RESOLVED.matcher(line);
            Matcher loader = LOADER.matcher(line);
            String path = m.find() ? m.group(2) : loader.find() ? loader.group(1) : null;
            if (path == null) {
                if (line.contains("not found") && !line.contains("libjvm.so")) fail(binary + ": " + line.trim());
                continue;
            }
            if (Path.of(path).toAbsolutePath().normalize().startsWith(Path.of("").toAbsolutePath())) continue;
            libs.put(path, Path.of(path));
        }
        return libs;
    }

    /** /usr/share/doc/PACKAGE/copyright of the packages the libraries come from (glibc's LGPL, ...). */
    static void copyLicences(Iterable<Path> libraries) throws Exception {
        Set<String> packages = new TreeSet<>();
        for (Path lib : libraries) {
            for (Path candidate : List.of(lib, lib.toRealPath())) {
                Process p = new ProcessBuilder("dpkg", "-S", candidate.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() == 0) {
                    packages.add(out.substring(0, out.indexOf(':')).trim());
                    break;
                }
            }
        }
        for (String pkg : packages) {
            Path copyright = Path.of("/usr/share/doc", pkg, "copyright");
            if (Files.isRegularFile(copyright)) {
                Path to = ROOT.resolve("usr/share/doc").resolve(pkg).resolve("copyright");
                Files.createDirectories(to.getParent());
                Files.copy(copyright.toRealPath(), to, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.collect(Collectors.toList())) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(dest);
                else Files.copy(p.toRealPath(), dest, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(ImageRoot::fileSize).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(p);
        }
    }

    static void fail(String message) {
        System.err.println("container/ImageRoot: " + message);
        System.exit(1);
    }
}
