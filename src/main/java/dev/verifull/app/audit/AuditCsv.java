package dev.verifull.app.audit;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.verifull.audit.AuditEvent;

/**
 * Writes audit records as CSV (RFC 4180): the header columns, then one column per field name in
 * the order the fields first appear, so nothing a record carried is lost.
 */
public final class AuditCsv {
    private AuditCsv() {}

    public static void write(List<AuditEvent> events, Writer out) throws IOException {
        Set<String> fieldNames = new LinkedHashSet<>();
        for (AuditEvent e : events) fieldNames.addAll(e.fields().keySet());
        List<String> header = new ArrayList<>(List.of("time", "event", "session", "engine"));
        header.addAll(fieldNames);
        line(out, header);
        for (AuditEvent e : events) {
            AuditRow row = new AuditRow(e);
            List<String> cells = new ArrayList<>(List.of(e.time().toString(), e.event(), e.sessionId(), e.engine()));
            for (String name : fieldNames) cells.add(row.text(name));
            line(out, cells);
        }
    }

    private static void line(Writer out, List<String> cells) throws IOException {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) out.write(',');
            out.write(quote(cells.get(i)));
        }
        out.write("\r\n");
    }

    static String quote(String cell) {
        if (cell.isEmpty()) return cell;
        // a leading = + - @ would turn into a formula in a spreadsheet
        boolean formula = "=+-@".indexOf(cell.charAt(0)) >= 0 && !cell.matches("-?\\d+(\\.\\d+)?");
        String safe = formula ? "'" + cell : cell;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r") || formula) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
