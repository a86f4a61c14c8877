package dev.verifull.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The audit log: {@link #record} queues and returns at once (it is called on Netty event loops);
 * one daemon thread, {@value #THREAD_NAME}, writes each record as one JSON line with one write call
 * and hands it to the operating system before taking the next, so a record is in the file even if the
 * process is killed right after. Format and file names: docs/audit-log.md.
 *
 * <p>When writing fails (disk full, permissions) the records stay queued and are retried, and the
 * failure goes to the error callback given at open, from the writer thread. Nothing is thrown at
 * callers of {@code record}.
 */
public final class AuditLog implements AutoCloseable {
    static final String THREAD_NAME = "verifull-audit";
    /** Beyond this many waiting records (a long write failure) new ones are dropped and counted. */
    static final int MAX_QUEUED = 100_000;
    static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    private static final Object STOP = new Object();

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong droppedQueueFull = new AtomicLong();
    // record() takes the read side with tryLock, so it never waits; close() takes the write side so
    // that no record can slip in behind the STOP marker
    private final ReentrantReadWriteLock closeLock = new ReentrantReadWriteLock();
    private boolean closed; // guarded by closeLock
    private final int maxQueued;
    private final Consumer<String> errors;
    private final AuditWriter writer;
    private final Thread thread;

    private AuditLog(AuditSink sink, Clock clock, Consumer<String> errors, int maxQueued) {
        this.maxQueued = maxQueued;
        this.errors = errors;
        this.writer = new AuditWriter(this, sink, clock, errors);
        this.thread = new Thread(writer, THREAD_NAME);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Opens the log at {@code target}: an existing directory gets directory mode ({@code audit-<date>.jsonl}
     * files in it); a path under /dev or an existing FIFO or device gets stream mode (appended, never
     * rotated: {@code /dev/stdout} in a container); anything else is the file to write (file mode;
     * missing parent directories are created).
     *
     * @param onError told about write failures, retries, recoveries, dropped records and torn lines found;
     *                called from the writer thread (and from the opening thread during open)
     * @throws IOException when the current file cannot be opened now; later failures are retried instead
     */
    public static AuditLog open(Path target, AuditRotation rotation, Consumer<String> onError) throws IOException {
        return open(target, rotation, onError, Clock.systemDefaultZone());
    }

    /** As {@link #open(Path, AuditRotation, Consumer)}, with the clock (and its zone) that decides file dates. */
    public static AuditLog open(Path target, AuditRotation rotation, Consumer<String> onError, Clock clock)
            throws IOException {
        return open(target, rotation, onError, clock, MAX_QUEUED);
    }

    static AuditLog open(Path target, AuditRotation rotation, Consumer<String> onError, Clock clock, int maxQueued)
            throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(rotation, "rotation");
        Objects.requireNonNull(clock, "clock");
        Consumer<String> errors = safe(Objects.requireNonNull(onError, "onError"));
        LocalDate today = LocalDate.ofInstant(clock.instant(), clock.getZone());
        AuditSink sink = Files.isDirectory(target)
                ? new DirectorySink(AuditFiles.inDirectory(target), rotation, errors, today)
                : StreamSink.isStream(target) ? new StreamSink(target, errors)
                : new SingleFileSink(AuditFiles.besideFile(target), rotation, errors, today, clock.getZone());
        return new AuditLog(sink, clock, errors, maxQueued);
    }

    /** Directory mode, creating the directory first (the desktop app's {@code audit/}; owner-only when created). */
    public static AuditLog openDirectory(Path dir, AuditRotation rotation, Consumer<String> onError)
            throws IOException {
        Files.createDirectories(dir, OwnerOnly.directory());
        return open(dir, rotation, onError);
    }

    /**
     * Queues a record and returns at once; never blocks and never throws. A null event is ignored.
     * After {@link #close} the record is not written and the error callback is told, on this thread.
     */
    public void record(AuditEvent event) {
        if (event == null) {
            return;
        }
        Lock read = closeLock.readLock();
        if (!read.tryLock()) { // only fails while close() holds the write side
            rejectAfterClose(event);
            return;
        }
        try {
            if (closed) {
                rejectAfterClose(event);
                return;
            }
            if (queued.incrementAndGet() > maxQueued) {
                queued.decrementAndGet();
                droppedQueueFull.incrementAndGet(); // the writer reports these
                return;
            }
            accepted.incrementAndGet();
            queue.add(event);
        } finally {
            read.unlock();
        }
    }

    /**
     * Waits until every record queued before this call has been written (or the writer has stopped).
     *
     * @return true if they all were written within the timeout
     */
    public boolean awaitWritten(Duration timeout) throws InterruptedException {
        return writer.awaitProcessed(accepted.get(), timeout);
    }

    /** {@link #awaitWritten} with a default timeout of 30 s; false if interrupted or not done in time. */
    public boolean flush() {
        try {
            return awaitWritten(DEFAULT_DRAIN_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Writes everything queued, then closes the file; waits up to 30 s for that. */
    @Override
    public void close() {
        close(DEFAULT_DRAIN_TIMEOUT);
    }

    /**
     * Stops accepting records, writes everything queued and closes the file. If the queue cannot be
     * drained in time (writes keep failing), the writer gives up and reports how many records were lost.
     *
     * @return true if every accepted record was written
     */
    public boolean close(Duration drainTimeout) {
        Lock write = closeLock.writeLock();
        write.lock();
        try {
            if (!closed) {
                closed = true;
                queue.add(STOP);
            }
        } finally {
            write.unlock();
        }
        if (Thread.currentThread() == thread) {
            return false; // called from the error callback: cannot wait for ourselves
        }
        try {
            thread.join(Math.max(1, drainTimeout.toMillis()));
            if (thread.isAlive()) {
                thread.interrupt(); // the writer counts and reports what it leaves behind
                thread.join(Duration.ofSeconds(5).toMillis());
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive() && writer.processed() >= accepted.get();
    }

    // --- used by the writer thread

    Object take() throws InterruptedException {
        Object item = queue.take();
        if (item != STOP) {
            queued.decrementAndGet();
        }
        return item;
    }

    boolean isStop(Object item) {
        return item == STOP;
    }

    /** Records still waiting (not counting one being written). */
    int waiting() {
        return queued.get();
    }

    int maxQueued() {
        return maxQueued;
    }

    long droppedQueueFull() {
        return droppedQueueFull.get();
    }

    private void rejectAfterClose(AuditEvent event) {
        errors.accept("audit log: closed; " + event.event() + " record of session " + event.sessionId()
                + " was not written");
    }

    /** A callback that throws must not stop the writer or reach a caller of record(). */
    private static Consumer<String> safe(Consumer<String> callback) {
        return message -> {
            try {
                callback.accept(message);
            } catch (RuntimeException ignored) {
                // nowhere left to report it
            }
        };
    }

    static String describe(Exception e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        return message == null || message.isBlank() ? type : type + ": " + message;
    }
}
