package dev.verifull.tailscale;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link CommandRunner} with real processes. */
final class ProcessCommandRunner implements CommandRunner {
    static final ProcessCommandRunner INSTANCE = new ProcessCommandRunner();

    private ProcessCommandRunner() {}

    @Override
    public Result run(List<String> command, Duration timeout) throws IOException, TimeoutException {
        Path stdout = Files.createTempFile("verifull-cmd", ".out");
        Path stderr = Files.createTempFile("verifull-cmd", ".err");
        try {
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            boolean exited;
            try {
                exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for " + command.get(0), e);
            }
            if (!exited) {
                process.destroyForcibly();
                throw new TimeoutException(command.get(0) + " did not finish within " + timeout.toMillis() + " ms");
            }
            return new Result(process.exitValue(), text(stdout), text(stderr));
        } finally {
            Files.deleteIfExists(stdout);
            Files.deleteIfExists(stderr);
        }
    }

    // Lenient decoding: a stray byte in a warning must not hide the answer.
    private static String text(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
