package dev.verifull.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.ui.SerialExecutor;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;

/** The app's log file, read back: uncaught exceptions from plain threads, executors and Netty land in it with their traces. */
class AppLogFileTest {
    @TempDir
    Path dir;

    private Thread.UncaughtExceptionHandler previous;

    @BeforeEach
    void remember() {
        previous = Thread.getDefaultUncaughtExceptionHandler();
    }

    @AfterEach
    void restore() throws Exception {
        Thread.setDefaultUncaughtExceptionHandler(previous);
        LogManager.getLogManager().readConfiguration(); // JUL's defaults again for the other tests in this JVM
    }

    @Test
    void uncaughtExceptionsOnAnyThreadLandInTheFile() throws Exception {
        Path file = LogSetup.toAppFile(dir.resolve("logs"), LogFormat.text("app"));
        UncaughtExceptions.install();

        Thread plain = new Thread(() -> {
            throw new IllegalStateException("plain thread failed\n2026-01-01T00:00:00.000Z INFO  [app] forged");
        }, "worker-7");
        plain.start();
        plain.join();

        ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "pool-thread"));
        new SerialExecutor(pool).execute(() -> {
            throw new UnsupportedOperationException("serial task failed");
        });
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));

        // an event loop as the engine has them: Netty logs the failed task through its logger, which goes here too
        MultiThreadIoEventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        loop.execute(() -> {
            throw new ArithmeticException("event loop task failed");
        });
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();

        String log = waitForFile(file, "event loop task failed");
        assertTrue(log.contains("ERROR [app] uncaught exception on thread worker-7"), log);
        assertTrue(log.contains("\tjava.lang.IllegalStateException: plain thread failed\\n2026-01-01T00:00:00.000Z INFO  [app] forged"), log);
        assertTrue(log.lines().noneMatch(l -> l.startsWith("2026-01-01")), "no forged record: " + log);
        assertTrue(log.contains("\tat dev.verifull.logging.AppLogFileTest.lambda$uncaughtExceptionsOnAnyThreadLandInTheFile"), log);
        assertTrue(log.contains("uncaught exception on thread pool-thread") && log.contains("serial task failed"), log);
        assertTrue(log.contains("[app] io.netty.") && log.contains("java.lang.ArithmeticException: event loop task failed"), log);

        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        }
    }

    @Test
    void theFileRotatesWithinItsBounds() throws Exception {
        RotatingLogFile handler = new RotatingLogFile(dir, 2_000, 3);
        handler.setFormatter(LogFormat.text("app"));
        for (int i = 0; i < 200; i++) {
            handler.publish(new Log.ProfileRecord(Level.INFO, "line " + i + " " + "x".repeat(40), "orders"));
        }
        handler.close();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertEquals(List.of(dir.resolve("verifull.1.log"), dir.resolve("verifull.2.log"), dir.resolve("verifull.log")), files);
        for (Path f : files) {
            assertTrue(Files.size(f) <= 2_000, f + " " + Files.size(f));
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
        assertTrue(Files.readString(dir.resolve("verifull.log")).contains("line 199 "), "the newest lines in verifull.log");
        String oldest = Files.readString(dir.resolve("verifull.2.log"));
        assertTrue(oldest.lines().allMatch(l -> l.contains("[orders] line ")), oldest);
    }

    private static String waitForFile(Path file, String text) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String content = "";
        while (Instant.now().isBefore(deadline)) {
            content = Files.readString(file);
            if (content.contains(text)) return content;
            Thread.sleep(50);
        }
        return content;
    }
}
