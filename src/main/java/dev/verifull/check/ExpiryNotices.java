package dev.verifull.check;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which expiry warnings to announce now (a tray notification, a log line): each certificate of
 * each profile at most once a calendar day, so a warning is heard without becoming noise. The
 * warning itself stays visible where the profile is shown; this only rations the announcements.
 * Not thread-safe: one caller thread.
 */
public final class ExpiryNotices {
    private final ZoneId zone;
    private final Map<String, LocalDate> announced = new HashMap<>();

    public ExpiryNotices(ZoneId zone) {
        this.zone = zone;
    }

    /** The certificates among {@code expiries} that warrant a warning and were not announced today; now they are. */
    public List<CertificateExpiry> due(String profile, List<CertificateExpiry> expiries, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        List<CertificateExpiry> due = new ArrayList<>();
        for (CertificateExpiry e : expiries) {
            if (!e.warrantsWarning(now)) continue;
            String key = profile + "\n" + e.role() + "\n" + e.subject() + "\n" + e.source() + "\n" + e.notAfter();
            if (today.equals(announced.get(key))) continue;
            announced.put(key, today);
            due.add(e);
        }
        return due;
    }
}
