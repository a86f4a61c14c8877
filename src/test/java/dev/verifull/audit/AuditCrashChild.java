package dev.verifull.audit;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Child process of {@link AuditKillTest}: records without end and prints {@code written N} each time the
 * log confirms the first N records are written. The parent kills it with SIGKILL at some point.
 */
public final class AuditCrashChild {
    private AuditCrashChild() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String run = args[1];
        AuditLog log = AuditLog.open(file, AuditRotation.none(), message -> System.err.println(message));
        for (long seq = 0; ; seq++) {
            log.record(AuditEvent.builder(AuditEvent.SESSION_END, run + "-" + seq, "crash-test")
                    .put("run", run)
                    .put("seq", seq)
                    .put(AuditFields.MESSAGE, "padding to make lines of a realistic length: " + "x".repeat(200))
                    .build());
            if (seq % 25 == 24) {
                if (!log.awaitWritten(Duration.ofSeconds(30))) {
                    System.err.println("not written in time");
                    System.exit(2);
                }
                System.out.println("written " + (seq + 1));
                System.out.flush();
            }
        }
    }
}
