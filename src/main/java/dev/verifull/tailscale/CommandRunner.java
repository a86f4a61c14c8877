package dev.verifull.tailscale;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** Runs an external command (lsof, the tailscale CLI); an interface so tests can fake it. */
@FunctionalInterface
public interface CommandRunner {

    /** The command's exit code and its output, both streams as UTF-8 text. */
    record Result(int exitCode, String stdout, String stderr) {}

    /**
     * Runs {@code command} (program first) and waits for it, blocking the calling thread.
     *
     * @throws IOException      the program could not be started (e.g. not installed)
     * @throws TimeoutException it ran longer than {@code timeout}; it has been killed
     */
    Result run(List<String> command, Duration timeout) throws IOException, TimeoutException;

    /** Real processes; output goes through temp files so a chatty program cannot stall on a full pipe. */
    static CommandRunner processes() {
        return ProcessCommandRunner.INSTANCE;
    }
}
