import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Builds the app image and the installers for the OS it runs on, into target/dist.
 *
 * <pre>
 *   java installers/Dist.java [--types auto|none|deb,rpm] [--cds true|false] [--app-version 1.2.3]
 * </pre>
 *
 * Run from the project root after {@code ./mvnw package} and {@code java jlink/BuildRuntime.java};
 * {@code ./mvnw -Pdist package} does all three. The jpackage arguments live in argument files,
 * shared ones once ({@code installers/common.args}, {@code installers/app-image.args}) and per OS
 * ({@code installers/<os>/app-image.args}, {@code installers/<os>/jpackage.args}); this program
 * only stages the input, picks the files and the installer types, and runs jpackage twice: the
 * app image first (so it can be smoke-tested and prepared), then each installer from it.
 */
public final class Dist {
    private static final Path TARGET = Path.of("target");
    private static final Path INPUT = TARGET.resolve("dist-input");
    private static final Path DEST = TARGET.resolve("dist");

    public static void main(String[] args) throws Exception {
        String types = null;
        String version = null;
        boolean cds = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--types" -> types = args[++i];
                case "--app-version" -> version = args[++i];
                case "--cds" -> cds = Boolean.parseBoolean(args[++i]);
                default -> fail("unknown argument " + args[i] + " (use --types auto|none|T1,T2, --cds true|false, --app-version V)");
            }
        }
        for (Path p : List.of(TARGET.resolve("verifull.jar"), TARGET.resolve("lib"), TARGET.resolve("runtime/release"))) {
            if (!Files.exists(p)) fail(p + " is missing: run from the project root after './mvnw package' and 'java jlink/BuildRuntime.java'");
        }
        String os = currentOs();
        version = jpackageVersion(version != null ? version : projectVersion());
        List<String> installerTypes = types == null || types.equals("auto") ? defaultTypes(os)
                : types.equals("none") ? List.of()
                : List.of(types.split(","));

        stageInput();
        deleteTree(DEST);
        if (cds) cdsArchive(os);

        long t0 = System.nanoTime();
        String jpVersion = jpackageAccepted(os, version);
        if (os.equals("macos")) stageMacResources(version);
        jpackage("--type", "app-image", "--app-version", jpVersion,
                "@installers/common.args", "@installers/app-image.args", "@installers/" + os + "/app-image.args");
        Path image = DEST.resolve(os.equals("macos") ? "Verifull.app" : "Verifull");
        if (os.equals("linux")) addSystemdUnit(image);
        report(image, t0);

        for (String type : installerTypes) {
            long t = System.nanoTime();
            jpackage("--type", type, "--app-image", image.toString(), "--app-version", jpVersion,
                    "@installers/common.args", "@installers/" + os + "/jpackage.args");
            try (Stream<Path> s = Files.list(DEST)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith("." + type)).collect(Collectors.toList())) {
                    Path named = jpVersion.equals(version) ? p
                            : Files.move(p, p.resolveSibling(p.getFileName().toString().replace(jpVersion, version)),
                                    StandardCopyOption.REPLACE_EXISTING);
                    report(named, t);
                }
            }
        }
    }

    static String currentOs() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (name.startsWith("windows")) return "windows";
        if (name.startsWith("mac")) return "macos";
        if (name.startsWith("linux")) return "linux";
        fail("no installers for " + name);
        return null;
    }

    /**
     * Linux: .deb and .rpm, each only where its packaging tool exists (dpkg-deb / rpmbuild), so
     * one command works on Debian and Fedora alike. macOS: .dmg. Windows: .msi (needs WiX 3).
     */
    static List<String> defaultTypes(String os) {
        switch (os) {
            case "macos": return List.of("dmg");
            case "windows": return List.of("msi");
            default:
                List<String> t = new ArrayList<>();
                if (onPath("dpkg-deb")) t.add("deb");
                if (onPath("rpmbuild")) t.add("rpm");
                if (t.isEmpty()) fail("neither dpkg-deb nor rpmbuild found; use --types none for the app image only");
                if (t.size() < 2) System.out.println("Dist: building " + t + " only (" + (t.contains("deb") ? "rpmbuild" : "dpkg-deb") + " not found)");
                return t;
        }
    }

    /** The version Maven filtered into the jar's resources. */
    static String projectVersion() throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(TARGET.resolve("classes/dev/verifull/version.properties"))) {
            p.load(in);
        }
        return p.getProperty("version");
    }

    /** jpackage wants one to three numbers: 0.1.0-SNAPSHOT becomes 0.1.0. */
    static String jpackageVersion(String v) {
        Matcher m = Pattern.compile("^(\\d+(\\.\\d+){0,2})").matcher(v);
        if (!m.find()) fail("version " + v + " does not start with a number");
        return m.group(1);
    }

    /**
     * jpackage 17 refuses a macOS version starting with 0 (its CFBundleVersion check is stricter
     * than Apple's). Before 1.0 jpackage gets 1.x.y, and the .dmg is renamed afterwards.
     */
    static String jpackageAccepted(String os, String version) {
        return os.equals("macos") && version.startsWith("0.") ? "1." + version.substring(2) : version;
    }

    /**
     * installers/macos/resources with the real version written into Info.plist, so the bundle
     * says 0.1.0 even when jpackage was given 1.1.0 (see above); the bundle itself is never
     * edited after jpackage made it, which would break its signature.
     */
    static void stageMacResources(String version) throws IOException {
        Path from = Path.of("installers/macos/resources");
        Path to = TARGET.resolve("dist-resources/macos");
        deleteTree(to);
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path f : s.collect(Collectors.toList())) Files.copy(f, to.resolve(f.getFileName()));
        }
        Path plist = to.resolve("Info.plist");
        Files.writeString(plist, Files.readString(plist)
                .replace("DEPLOY_BUNDLE_SHORT_VERSION", version)
                .replace("DEPLOY_BUNDLE_CFBUNDLE_VERSION", version));
    }

    /**
     * verifull.jar and its lib/ (the manifest's Class-Path), minus JavaFX (the runtime has it as
     * modules). The native jars in lib/ are this platform's only: the pom's platform profiles
     * choose them, and BuildRuntime has checked that the build's platform is this one.
     */
    static void stageInput() throws IOException {
        deleteTree(INPUT);
        Files.createDirectories(INPUT.resolve("lib"));
        Files.copy(TARGET.resolve("verifull.jar"), INPUT.resolve("verifull.jar"));
        try (Stream<Path> s = Files.list(TARGET.resolve("lib"))) {
            for (Path jar : s.sorted().collect(Collectors.toList())) {
                String n = jar.getFileName().toString();
                if (n.startsWith("javafx-")) continue;
                Files.copy(jar, INPUT.resolve("lib").resolve(n));
            }
        }
    }

    /**
     * The system service for servers (installers/linux/verifull.service) and its example
     * configuration go into the Linux app image as lib/systemd/, so the .deb and .rpm carry them
     * (/opt/verifull/lib/systemd); the .deb's postinst installs the unit, not enabled. jpackage 17
     * has no --app-content; the image is not signed on Linux, so adding files after it is safe.
     */
    static void addSystemdUnit(Path image) throws IOException {
        Path dir = Files.createDirectories(image.resolve("lib/systemd"));
        for (String f : List.of("verifull.service", "serve.args.example")) {
            Files.copy(Path.of("installers/linux", f), dir.resolve(f), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Replaces the runtime's CDS archive (lib/server/classes.jsa, made by jlink from the JDK's
     * default class list) with one made from the classes two training runs load: the desktop app
     * until its window shows (CdsTraining: mostly JavaFX; about a quarter off the time to the
     * window, docs/packaging.md), and {@code verifull serve} through its start and sessions in
     * front of a stand-in PostgreSQL on the loopback (ServeCdsTraining: TLS, certificates, the
     * JDK's networking; docs/benchmarks.md, run 4). One archive serves both launchers.
     *
     * <p>Only classes inside the runtime image are archived, never the app's jars: JDK 17 ties an
     * archive with class-path classes to their absolute paths (no relocation before JDK 19), and
     * the installed app lives elsewhere than target/ (C:\Users\...\AppData\Local\Verifull for a
     * per-user MSI). The default archive of the image has no such tie and works wherever the
     * image is installed.
     *
     * <p>The app's training run needs a display; on Linux without one it uses xvfb-run if
     * present. Each run that cannot run is skipped with a line; when neither did, the runtime
     * keeps jlink's archive and the build goes on.
     */
    static void cdsArchive(String os) throws Exception {
        Path work = TARGET.resolve("cds");
        deleteTree(work);
        Files.createDirectories(work);
        Path javaExe = TARGET.resolve("runtime/bin/" + (os.equals("windows") ? "java.exe" : "java"));
        Path archive;
        try (Stream<Path> s = Files.walk(TARGET.resolve("runtime"))) {
            archive = s.filter(p -> p.getFileName().toString().equals("classes.jsa")).findFirst().orElse(null);
        }
        if (!Files.isExecutable(javaExe) || archive == null) {
            System.out.println("Dist: no CDS training (the runtime has no bin/java or no classes.jsa)");
            return;
        }
        ToolProvider javac = ToolProvider.findFirst("javac").orElseThrow();
        if (javac.run(System.out, System.err, "-d", work.toString(), "installers/CdsTraining.java", "installers/ServeCdsTraining.java") != 0) {
            fail("javac CdsTraining ServeCdsTraining failed");
        }
        long t = System.nanoTime();
        List<Path> lists = new ArrayList<>();
        Path appList = appTraining(os, javaExe, work);
        if (appList != null) lists.add(appList);
        Path serveList = serveTraining(os, javaExe, work);
        if (serveList != null) lists.add(serveList);
        if (lists.isEmpty()) {
            System.out.println("Dist: no CDS training run succeeded: runtime keeps jlink's CDS archive");
            return;
        }

        // One list: both runs' classes and lambda lines, each once (the lists carry no ids).
        Path classList = work.resolve("classes.lst");
        java.util.Set<String> merged = new java.util.LinkedHashSet<>();
        for (Path list : lists) {
            try (Stream<String> lines = Files.lines(list)) {
                lines.filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(merged::add);
            }
        }
        Files.write(classList, merged);

        // Written to the side first, so a failed dump leaves jlink's archive in place.
        Path fresh = work.resolve("classes.jsa");
        Process dump = new ProcessBuilder(javaExe.toString(), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + fresh).redirectErrorStream(true)
                .redirectOutput(work.resolve("dump.log").toFile()).start();
        if (dump.waitFor() != 0 || !Files.exists(fresh)) {
            System.out.println("Dist: CDS dump failed (see " + work.resolve("dump.log") + "): runtime keeps jlink's CDS archive");
            return;
        }
        archive.toFile().setWritable(true);
        Files.move(fresh, archive, StandardCopyOption.REPLACE_EXISTING);
        long classes = merged.stream().filter(l -> !l.startsWith("@")).count();
        System.out.printf("Dist: CDS archive from %s (%d classes listed, %.1f s): %s%n",
                appList != null && serveList != null ? "the app's and serve's training runs"
                        : appList != null ? "the app's training run" : "serve's training run",
                classes, (System.nanoTime() - t) / 1e9, archive);
    }

    /** The desktop app's training run (CdsTraining): its class list, or null with a line why not. */
    static Path appTraining(String os, Path javaExe, Path work) throws Exception {
        Path classList = work.resolve("app-classes.lst");
        List<String> cmd = new ArrayList<>();
        if (os.equals("linux") && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            if (!onPath("xvfb-run")) {
                System.out.println("Dist: no display and no xvfb-run: no CDS training run of the app");
                return null;
            }
            cmd.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24 -nolisten tcp"));
        }
        cmd.add(javaExe.toString());
        if (cmd.size() > 1) {
            // Xvfb fails JavaFX's GPU check and would train the software pipeline; desktops use
            // the OpenGL one (es2), which Mesa under Xvfb can run when asked.
            cmd.add("-Dprism.forceGPU=true");
        }
        cmd.addAll(List.of("-XX:DumpLoadedClassList=" + classList,
                "-cp", work + java.io.File.pathSeparator + INPUT.resolve("verifull.jar"), "CdsTraining"));
        return training("app", cmd, classList, work.resolve("app-home"), work.resolve("app-training.log"));
    }

    /**
     * serve's training run (ServeCdsTraining) with the console launcher's JVM options, against a
     * stand-in PostgreSQL whose key keytool makes here: its class list, or null with a line why not.
     */
    static Path serveTraining(String os, Path javaExe, Path work) throws Exception {
        Path dir = Files.createDirectories(work.resolve("serve"));
        Path keytool = Path.of(System.getProperty("java.home"), "bin", os.equals("windows") ? "keytool.exe" : "keytool");
        Path keys = dir.resolve("upstream.p12");
        Path log = work.resolve("serve-training.log");
        if (!run(log, keytool.toString(), "-genkeypair", "-keystore", keys.toString(), "-storetype", "PKCS12",
                "-storepass", "training", "-alias", "upstream", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "san=dns:localhost", "-ext", "bc:c", "-validity", "2")
                || !run(log, keytool.toString(), "-exportcert", "-rfc", "-keystore", keys.toString(), "-storepass", "training",
                        "-alias", "upstream", "-file", dir.resolve("upstream.pem").toString())) {
            System.out.println("Dist: keytool failed (see " + log + "): no CDS training run of serve");
            return null;
        }
        Path classList = work.resolve("serve-classes.lst");
        List<String> cmd = new ArrayList<>(List.of(javaExe.toString()));
        Path launcher = Path.of("installers", os, "verifull-cli.properties");
        if (Files.exists(launcher)) {
            Properties cli = new Properties();
            try (InputStream in = Files.newInputStream(launcher)) {
                cli.load(in);
            }
            String options = cli.getProperty("java-options", "").trim();
            if (!options.isEmpty()) cmd.addAll(List.of(options.split("\\s+")));
        }
        cmd.addAll(List.of("-XX:DumpLoadedClassList=" + classList,
                "-cp", work + java.io.File.pathSeparator + INPUT.resolve("verifull.jar"), "ServeCdsTraining", dir.toString()));
        return training("serve", cmd, classList, work.resolve("serve-home"), log);
    }

    /** Runs one training command with a fresh app-data dir; its class list, or null with a line. */
    static Path training(String what, List<String> cmd, Path classList, Path home, Path log) throws Exception {
        Files.createDirectories(home);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // A fresh app-data dir: the training run must not read or change the user's profiles.
        pb.environment().put("VERIFULL_HOME", home.toAbsolutePath().toString());
        Process p = pb.start();
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
        if (p.exitValue() != 0 || !Files.exists(classList)) {
            System.out.println("Dist: CDS training run of " + what + " failed (exit " + p.exitValue() + ", see " + log + ")");
            return null;
        }
        return classList;
    }

    static boolean run(Path log, String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return p.waitFor() == 0;
    }

    static void jpackage(String... args) {
        ToolProvider jp = ToolProvider.findFirst("jpackage")
                .orElseThrow(() -> new IllegalStateException("jpackage not found: run this with a JDK 17+"));
        System.out.println("Dist: jpackage " + String.join(" ", args));
        PrintWriter out = new PrintWriter(System.out, true);
        int rc = jp.run(out, new PrintWriter(System.err, true), args);
        if (rc != 0) fail("jpackage exited with " + rc);
    }

    static void report(Path p, long startNanos) throws IOException {
        long bytes;
        try (Stream<Path> s = Files.walk(p)) {
            bytes = s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
        System.out.printf("Dist: %s  %.1f MB  %.1f s%n", p, bytes / 1e6, (System.nanoTime() - startNanos) / 1e9);
    }

    static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) Files.delete(p);
        }
    }

    static void fail(String message) {
        System.err.println("Dist: " + message);
        System.exit(1);
    }
}
