package dev.verifull.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@code dev.verifull.Main} as its own JVM on the test class path, stderr to a file. */
public final class VerifullProcess {
    private VerifullProcess() {}

    /** @param dir gets {@code stderr.txt} and the app-data dir {@code home} (VERIFULL_HOME) */
    public static Process start(Path dir, String... args) throws IOException {
        return start(dir, List.of(), args);
    }

    /** As {@link #start}, on another class path (e.g. the test class path without a native jar). */
    public static Process startWithClassPath(Path dir, String classPath, String... args) throws IOException {
        return start(dir, classPath, List.of(), args);
    }

    /** @param jvmOptions e.g. {@code -Dname=value}, before the main class */
    public static Process start(Path dir, List<String> jvmOptions, String... args) throws IOException {
        return start(dir, System.getProperty("java.class.path"), jvmOptions, args);
    }

    /** As {@link #start}, with these environment variables added (e.g. serve's VERIFULL_ options). */
    public static Process startWithEnvironment(Path dir, java.util.Map<String, String> env, String... args) throws IOException {
        return start(dir, System.getProperty("java.class.path"), List.of(), env, args);
    }

    /** As {@link #start}, by {@code nohup} (POSIX): the process starts with SIGHUP ignored. */
    public static Process startUnderNohup(Path dir, String... args) throws IOException {
        return start(dir, System.getProperty("java.class.path"), List.of("nohup"), List.of(), java.util.Map.of(), args);
    }

    private static Process start(Path dir, String classPath, List<String> jvmOptions, String... args) throws IOException {
        return start(dir, classPath, jvmOptions, java.util.Map.of(), args);
    }

    private static Process start(Path dir, String classPath, List<String> jvmOptions, java.util.Map<String, String> env,
                                 String... args) throws IOException {
        return start(dir, classPath, List.of(), jvmOptions, env, args);
    }

    private static Process start(Path dir, String classPath, List<String> prefix, List<String> jvmOptions,
                                 java.util.Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, "dev.verifull.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("VERIFULL_HOME", dir.resolve("home").toString());
        pb.environment().putAll(env);
        return pb.start();
    }
}
