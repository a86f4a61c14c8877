package dev.verifull.app.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

import dev.verifull.app.sessions.Records;
import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditLog;
import dev.verifull.audit.AuditRotation;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.SessionEvent;
import dev.verifull.sessions.SessionAuditor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditViewModelTest {
    @TempDir Path dir;
    private final Executor inline = Runnable::run;
    private final Instant t0 = Instant.parse("2026-03-01T10:00:00Z");

    private void writeLog() throws Exception {
        try (AuditLog log = AuditLog.openDirectory(dir, AuditRotation.defaults(), p -> {})) {
            log.record(SessionAuditor.toAudit(new SessionEvent(SessionEvent.Type.START, Records.live(1, "orders", t0, "app"))));
            log.record(SessionAuditor.toAudit(new SessionEvent(SessionEvent.Type.END, Records.ended(1, "orders", t0, t0.plusSeconds(5)))));
            log.record(SessionAuditor.toAudit(new SessionEvent(SessionEvent.Type.REFUSED,
                    Records.refused(2, "billing", t0.plusSeconds(9), RefusalReason.HOSTNAME_MISMATCH, "name, \"mismatch\""))));
            log.awaitWritten(Duration.ofSeconds(5));
        }
    }

    @Test
    void readsNewestFirstAndFilters() throws Exception {
        writeLog();
        AuditViewModel vm = new AuditViewModel(dir, inline, inline);
        vm.reload().join();
        assertEquals(List.of("refused", "end", "start"), vm.visibleRows().stream().map(AuditRow::kind).toList());
        assertEquals("3 records", vm.summaryProperty().get());
        AuditRow refused = vm.visibleRows().get(0);
        assertTrue(refused.problem());
        assertEquals("hostname mismatch", refused.outcome());
        assertEquals("alice@example.com", refused.who());
        assertEquals("127.0.0.1:40001", refused.client());
        vm.text.set("BILLING");
        assertEquals(1, vm.visibleRows().size());
    }

    @Test
    void filtersByEventKindAndLocalDay() throws Exception {
        writeLog();
        AuditViewModel vm = new AuditViewModel(dir, inline, inline, java.time.ZoneId.of("Pacific/Kiritimati")); // UTC+14
        vm.reload().join();
        vm.kind.set(AuditViewModel.EventFilter.REFUSED);
        assertEquals(List.of("refused"), vm.visibleRows().stream().map(AuditRow::kind).toList());
        vm.kind.set(AuditViewModel.EventFilter.ALL);
        vm.day.set(java.time.LocalDate.of(2026, 3, 1));
        assertTrue(vm.visibleRows().isEmpty(), "10:00 UTC is already March 2 in UTC+14: the day is the local one");
        vm.day.set(java.time.LocalDate.of(2026, 3, 2));
        assertEquals(3, vm.visibleRows().size());
        vm.kind.set(AuditViewModel.EventFilter.START);
        assertEquals(List.of("start"), vm.visibleRows().stream().map(AuditRow::kind).toList());
    }

    @Test
    void followingReadsAgainOnlyWhenTheFilesChanged() throws Exception {
        writeLog();
        AuditViewModel vm = new AuditViewModel(dir, inline, inline);
        vm.reload().join();
        assertEquals(false, vm.reloadIfChanged().join(), "nothing new");
        try (AuditLog log = AuditLog.openDirectory(dir, AuditRotation.defaults(), p -> {})) {
            log.record(SessionAuditor.toAudit(new SessionEvent(SessionEvent.Type.REFUSED, Records.refused(3, "orders",
                    t0.plusSeconds(20), Records.LOCAL, RefusalReason.CERTIFICATE_UNTRUSTED, "not trusted", "the chain", "add the CA"))));
            log.awaitWritten(Duration.ofSeconds(5));
        }
        assertEquals(true, vm.reloadIfChanged().join());
        assertEquals(4, vm.rows().size());
        AuditRow newest = vm.rows().get(0);
        assertEquals("local: dana", newest.who());
        assertEquals("[fd7a:115c:a1e0::7]:40002", newest.client());
        assertEquals("not trusted\nDETAIL:  the chain\nHINT:  add the CA", newest.fullMessage());
    }

    @Test
    void aMissingDirectoryIsAnEmptyLogNotAnError() {
        AuditViewModel vm = new AuditViewModel(dir.resolve("nothing-here"), inline, inline);
        vm.reload().join();
        assertEquals("No audit records yet", vm.summaryProperty().get());
    }

    @Test
    void exportsWhatIsShownAsCsvWithEveryField() throws Exception {
        writeLog();
        AuditViewModel vm = new AuditViewModel(dir, inline, inline);
        vm.reload().join();
        vm.text.set("billing");
        Path target = dir.resolve("out.csv");
        assertEquals(1, vm.exportCsv(target).join());
        List<String> lines = Files.readAllLines(target);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("time,event,session,engine,kind,client_address"), lines.get(0));
        assertTrue(lines.get(1).contains("session.refused") && lines.get(1).contains("\"name, \"\"mismatch\"\"\""), lines.get(1));
    }

    @Test
    void csvQuotesCommasQuotesAndFormulaStarts() throws Exception {
        AuditEvent e = AuditEvent.builder("session.refused", "2", "orders").time(t0)
                .put("message", "name, \"mismatch\"").put("user", "=cmd()").put("bytes", -5).build();
        StringWriter out = new StringWriter();
        AuditCsv.write(List.of(e), out);
        assertEquals("time,event,session,engine,message,user,bytes\r\n"
                + "2026-03-01T10:00:00Z,session.refused,2,orders,\"name, \"\"mismatch\"\"\",\"'=cmd()\",-5\r\n", out.toString());
    }
}
