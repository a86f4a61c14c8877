package dev.verifull.audit;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.function.Consumer;

/** The body of the writer thread: takes records in order and does not move on until each is in the file. */
final class AuditWriter implements Runnable {
    private static final long FIRST_RETRY_MILLIS = 100;
    private static final long MAX_RETRY_MILLIS = 5_000;
    private static final long REPEAT_REPORT_NANOS = Duration.ofMinutes(1).toNanos();

    private final AuditLog log;
    private final AuditSink sink;
    private final Clock clock;
    private final Consumer<String> report;

    private final Object progressLock = new Object();
    private long processed; // guarded by progressLock
    private boolean stopped; // guarded by progressLock

    // writer thread only
    private long reportedDrops;
    private boolean failing;
    private long failedAttempts;
    private String lastFailure;
    private long lastFailureReportNanos;

    AuditWriter(AuditLog log, AuditSink sink, Clock clock, Consumer<String> report) {
        this.log = log;
        this.sink = sink;
        this.clock = clock;
        this.report = report;
    }

    @Override
    public void run() {
        boolean inFlight = false;
        try {
            while (true) {
                Object item = log.take();
                if (log.isStop(item)) {
                    break;
                }
                inFlight = true;
                write((AuditEvent) item);
                inFlight = false;
                markProcessed();
                reportDrops();
            }
        } catch (InterruptedException e) {
            // close() stopped waiting: the queue could not be drained in time (usually: writes keep failing)
            long lost = log.waiting() + (inFlight ? 1 : 0);
            report.accept("audit log: closed before the queue was drained; " + lost + " record(s) were not written");
        } catch (RuntimeException | Error e) {
            // not rethrown: the default handler would print to stderr, which only the CLI may do
            report.accept("audit log: writer stopped unexpectedly: " + e + "; " + log.waiting()
                    + " record(s) were not written");
        } finally {
            sink.close();
            reportDrops();
            synchronized (progressLock) {
                stopped = true;
                progressLock.notifyAll();
            }
        }
    }

    /** Keeps trying until the record is written; only an interrupt from close() ends that. */
    private void write(AuditEvent event) throws InterruptedException {
        ByteBuffer line;
        try {
            line = ByteBuffer.wrap((AuditJson.toLine(event) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) { // AuditEvent admits only serializable values; this is a bug, not a disk problem
            report.accept("audit log: could not serialize " + event.event() + " record of session "
                    + event.sessionId() + ": " + AuditLog.describe(e));
            return;
        }
        long retryMillis = FIRST_RETRY_MILLIS;
        while (true) {
            try {
                sink.write(line, LocalDate.ofInstant(clock.instant(), clock.getZone()));
                if (failing) {
                    recovered();
                }
                return;
            } catch (ClosedByInterruptException e) {
                throw new InterruptedException();
            } catch (Exception e) { // IOException mostly; anything else is retried and reported alike
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                failed(e);
            }
            reportDrops();
            Thread.sleep(retryMillis);
            retryMillis = Math.min(retryMillis * 2, MAX_RETRY_MILLIS);
        }
    }

    private void failed(Exception e) {
        failedAttempts++;
        String reason = AuditLog.describe(e);
        long now = System.nanoTime();
        int waiting = log.waiting() + 1;
        if (!failing) {
            report.accept("audit log: cannot write: " + reason + "; " + waiting
                    + " record(s) kept in memory and retried");
        } else if (!Objects.equals(reason, lastFailure) || now - lastFailureReportNanos >= REPEAT_REPORT_NANOS) {
            report.accept("audit log: still cannot write: " + reason + "; " + waiting + " record(s) waiting");
        } else {
            return;
        }
        failing = true;
        lastFailure = reason;
        lastFailureReportNanos = now;
    }

    private void recovered() {
        report.accept("audit log: writing again after " + failedAttempts + " failed attempt(s); "
                + log.waiting() + " record(s) still queued");
        failing = false;
        failedAttempts = 0;
        lastFailure = null;
    }

    private void reportDrops() {
        long dropped = log.droppedQueueFull();
        if (dropped > reportedDrops) {
            report.accept("audit log: " + (dropped - reportedDrops) + " record(s) dropped because "
                    + log.maxQueued() + " were already waiting to be written");
            reportedDrops = dropped;
        }
    }

    private void markProcessed() {
        synchronized (progressLock) {
            processed++;
            progressLock.notifyAll();
        }
    }

    long processed() {
        synchronized (progressLock) {
            return processed;
        }
    }

    boolean awaitProcessed(long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progressLock) {
            while (processed < target && !stopped) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                progressLock.wait(Math.max(1, remaining / 1_000_000));
            }
            return processed >= target;
        }
    }
}
