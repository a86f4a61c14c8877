import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Builds target/runtime, the Java runtime that the installers ship: the JDK modules and JavaFX
 * modules listed in jlink/modules, with the jlink options in jlink/jlink.args.
 *
 * <p>Run from the project root after {@code ./mvnw package} (the dist profile does this):
 * {@code java jlink/BuildRuntime.java}. A Java program rather than a shell script so that it runs
 * the same on Linux, macOS and Windows; it uses the JDK's own jmod, jlink and jdeps through
 * {@link ToolProvider}, so the runtime always matches the JDK running it.
 *
 * <p>JavaFX is published to Maven as jars with the platform's native libraries at the top
 * level; its jmods are a separate download. This turns each platform jar in target/lib into a
 * jmod ({@code jmod create --class-path ... --libs ...}) so jlink puts the natives into the
 * image, and JavaFX never unpacks them into ~/.openjfx/cache.
 *
 * <p>{@code --server} builds the runtime of the container image instead (target/server-runtime):
 * the same list and options without the modules marked {@code [desktop]} in jlink/modules
 * (JavaFX, AWT), for {@code verifull serve}, which never loads the desktop app's classes.
 * {@code --platform P} (the pom passes ${verifull.platform}) fails when P is not the platform
 * this JDK runs on: jlink links the running JDK's own modules and natives.
 */
public final class BuildRuntime {
    private static final Path TARGET = Path.of("target");
    private static final Path LIB = TARGET.resolve("lib");
    private static final Path JMODS = TARGET.resolve("jmods");
    private static final String DESKTOP = "[desktop]";
    /** Classes that only the desktop app loads; the server runtime is checked without them. */
    private static final String DESKTOP_CLASSES = "dev\\.verifull\\.app\\..*";
    private static Path OUTPUT = TARGET.resolve("runtime");
    private static boolean server;

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--server" -> server = true;
                case "--platform" -> checkPlatform(args[++i]);
                default -> fail("unknown argument " + args[i] + " (use --server, --platform P)");
            }
        }
        if (server) OUTPUT = TARGET.resolve("server-runtime");
        if (!Files.isRegularFile(Path.of("jlink/modules")) || !Files.isDirectory(LIB)) {
            fail("run from the project root after './mvnw package' (needs jlink/modules and target/lib)");
        }
        long start = System.nanoTime();
        List<String> modules = new ArrayList<>();
        for (String line : readLines(Path.of("jlink/modules"))) {
            String[] words = line.split("\\s+");
            boolean desktop = words.length > 1 && words[1].equals(DESKTOP);
            if (words.length > (desktop ? 2 : 1)) fail("jlink/modules: one module per line, then " + DESKTOP + " or nothing: " + line);
            if (!(server && desktop)) modules.add(words[0]);
        }

        deleteTree(JMODS);
        Files.createDirectories(JMODS);
        List<String> fxBuilt = new ArrayList<>();
        if (!server) {
            for (Path jar : javafxPlatformJars()) fxBuilt.add(javafxJmod(jar));
        }
        for (String m : modules) {
            if (m.startsWith("javafx.") && !fxBuilt.contains(m)) {
                fail("no JavaFX platform jar for " + m + " in " + LIB + " (built: " + fxBuilt + ")");
            }
        }

        deleteTree(OUTPUT);
        Path jdkJmods = Path.of(System.getProperty("java.home"), "jmods");
        if (!Files.isDirectory(jdkJmods)) {
            fail(jdkJmods + " is missing: jlink needs a full JDK (on Debian: apt-get install openjdk-17-jmods)");
        }
        // The jlink ToolProvider does not expand @argfiles (only the jlink launcher does).
        List<String> jlinkArgs = new ArrayList<>();
        for (String line : readLines(Path.of("jlink/jlink.args"))) jlinkArgs.addAll(List.of(line.split("\\s+")));
        jlinkArgs.addAll(List.of("--module-path", JMODS + java.io.File.pathSeparator + jdkJmods,
                "--add-modules", String.join(",", modules),
                "--output", OUTPUT.toString()));
        run("jlink", jlinkArgs.toArray(String[]::new));
        // --generate-cds-archive also writes classes_nocoops.jsa, used only with heaps over 32 GB
        // (no compressed oops). 10 MB that a desktop app never uses.
        try (Stream<Path> s = Files.walk(OUTPUT)) {
            for (Path p : s.filter(p -> p.getFileName().toString().equals("classes_nocoops.jsa")).collect(Collectors.toList())) {
                p.toFile().setWritable(true);
                Files.delete(p);
            }
        }

        checkAgainstJdeps();
        System.out.printf("jlink/BuildRuntime: %s ready (%d MB, %.1f s)%n", OUTPUT,
                size(OUTPUT) / (1024 * 1024), (System.nanoTime() - start) / 1e9);
    }

    /**
     * Fails unless {@code platform} (a Maven platform classifier: linux-x86_64, osx-aarch_64, ...)
     * is the one this JDK runs on.
     */
    static void checkPlatform(String platform) {
        String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
        String arch = System.getProperty("os.arch");
        String here = (os.startsWith("windows") ? "windows" : os.startsWith("mac") ? "osx" : os.startsWith("linux") ? "linux" : os)
                + "-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") ? "aarch_64" : arch);
        if (!platform.equals(here)) {
            fail("this JDK runs on " + here + ", but the build selected the natives of " + platform
                    + " (-Dverifull.platform): jlink and jpackage build only for the platform they run on");
        }
    }

    /** The lines of a file without comments and blank lines. */
    static List<String> readLines(Path file) throws IOException {
        return Files.readAllLines(file).stream()
                .map(l -> l.replaceFirst("#.*", "").trim())
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
    }

    /**
     * The JavaFX jars with a module-info: the platform ones (classifier linux, mac, win, ...).
     * The classifier-less javafx-*.jar beside them are empty placeholders.
     */
    static List<Path> javafxPlatformJars() throws IOException {
        try (Stream<Path> s = Files.list(LIB)) {
            List<Path> jars = s.filter(p -> p.getFileName().toString().matches("javafx-.*\\.jar"))
                    .filter(BuildRuntime::hasModuleInfo)
                    .sorted()
                    .collect(Collectors.toList());
            if (jars.isEmpty()) fail("no JavaFX platform jars in " + LIB);
            return jars;
        }
    }

    static boolean hasModuleInfo(Path jar) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
            return z.getEntry("module-info.class") != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits one JavaFX jar into classes and native libraries and packs them as a jmod. */
    static String javafxJmod(Path jar) throws IOException {
        ModuleReference ref = ModuleFinder.of(jar).findAll().iterator().next();
        ModuleDescriptor d = ref.descriptor();
        Path work = Files.createTempDirectory("verifull-jmod-");
        Path classes = Files.createDirectories(work.resolve("classes"));
        Path libs = Files.createDirectories(work.resolve("libs"));
        try (ZipFile z = new ZipFile(jar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                String name = e.getName();
                if (e.isDirectory() || skip(name)) continue;
                Path dest = (isNative(name) ? libs : classes).resolve(name);
                Files.createDirectories(dest.getParent());
                try (InputStream in = z.getInputStream(e)) {
                    Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path jmod = JMODS.resolve(d.name() + ".jmod");
        List<String> args = new ArrayList<>(List.of("create", "--class-path", classes.toString()));
        if (hasFiles(libs)) args.addAll(List.of("--libs", libs.toString()));
        d.rawVersion().ifPresent(v -> args.addAll(List.of("--module-version", v)));
        args.add(jmod.toString());
        run("jmod", args.toArray(String[]::new));
        deleteTree(work);
        return d.name();
    }

    /** Native libraries sit at the top level of the JavaFX jars. */
    static boolean isNative(String name) {
        return !name.contains("/") && name.matches(".*\\.(so|dylib|jnilib|dll)");
    }

    /**
     * The manifest and signatures belong to the jar, not the module. javafx-swt.jar (nested in
     * javafx.graphics) is the SWT bridge, a separate module in the official jmods; not used.
     */
    static boolean skip(String name) {
        return name.equals("META-INF/MANIFEST.MF")
                || name.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)")
                || (!name.contains("/") && name.endsWith(".jar"));
    }

    /**
     * Fails when the application needs a JDK module the image does not have: jlink/modules is
     * written by hand, and a new import in the app (java.net.http, java.prefs, ...) would
     * otherwise surface only as a NoClassDefFoundError in the installed app.
     */
    static void checkAgainstJdeps() throws IOException {
        List<String> jars = new ArrayList<>();
        jars.add(TARGET.resolve("verifull.jar").toString());
        try (Stream<Path> s = Files.list(LIB)) {
            // JavaFX is in the image as modules; its own requirements were resolved by jlink.
            s.map(Path::toString).filter(n -> n.endsWith(".jar") && !n.contains("javafx-"))
                    .sorted().forEach(jars::add);
        }
        List<String> args = new ArrayList<>(List.of("--print-module-deps", "--ignore-missing-deps",
                "--multi-release", "17", "-q", "--class-path", String.join(java.io.File.pathSeparator, jars)));
        if (server) {
            // everything but the desktop app's classes (jdeps: "restrict analysis to classes matching")
            args.addAll(List.of("-include", "(?!" + DESKTOP_CLASSES + ").*"));
        }
        args.addAll(jars);
        String out = run("jdeps", args.toArray(String[]::new)).trim();
        String[] lines = out.split("\\R");
        TreeSet<String> needed = new TreeSet<>(Arrays.asList(lines[lines.length - 1].split(",")));

        Properties release = new Properties();
        try (InputStream in = Files.newInputStream(OUTPUT.resolve("release"))) {
            release.load(in);
        }
        TreeSet<String> present = new TreeSet<>(Arrays.asList(
                release.getProperty("MODULES", "").replace("\"", "").trim().split("\\s+")));
        needed.removeAll(present);
        if (!needed.isEmpty()) {
            fail("the application needs " + needed + ", which the runtime lacks: add them to jlink/modules");
        }
    }

    /** Runs a JDK tool in this JVM; returns its standard output, fails on a non-zero exit. */
    static String run(String tool, String... args) {
        ToolProvider tp = ToolProvider.findFirst(tool)
                .orElseThrow(() -> new IllegalStateException(tool + " not found: run this with a JDK, not a JRE"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = tp.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        System.err.print(err);
        if (rc != 0) {
            System.err.print(out);
            fail(tool + " " + String.join(" ", args) + " exited with " + rc);
        }
        return out.toString();
    }

    static boolean hasFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    static long size(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(p);
        }
    }

    static void fail(String message) {
        System.err.println("jlink/BuildRuntime: " + message);
        System.exit(1);
    }
}
