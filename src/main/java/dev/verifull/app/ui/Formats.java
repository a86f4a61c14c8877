package dev.verifull.app.ui;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How times, durations and byte counts read in tables: short, and sortable by their raw values. */
public final class Formats {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("MMM d HH:mm:ss", Locale.ENGLISH);
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private Formats() {}

    /** {@code 14:03:22} today, {@code Mar 3 14:03:22} on another day. */
    public static String time(Instant t, ZoneId zone, LocalDate today) {
        if (t == null) return "";
        var local = t.atZone(zone);
        return local.toLocalDate().equals(today) ? TIME.format(local) : DATE_TIME.format(local);
    }

    public static String time(Instant t) {
        ZoneId zone = ZoneId.systemDefault();
        return time(t, zone, LocalDate.now(zone));
    }

    /** {@code Mar 3 14:03:22}: audit rows span days. */
    public static String dateTime(Instant t) {
        return t == null ? "" : DATE_TIME.format(t.atZone(ZoneId.systemDefault()));
    }

    public static String fullTime(Instant t, ZoneId zone) {
        return t == null ? "" : FULL.format(t.atZone(zone));
    }

    /** {@code 0.4 s}, {@code 12 s}, {@code 3 m 05 s}, {@code 2 h 04 m}. */
    public static String duration(Duration d) {
        if (d == null) return "";
        long ms = Math.max(0, d.toMillis());
        if (ms < 10_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        long s = ms / 1000;
        if (s < 60) return s + " s";
        if (s < 3600) return String.format(Locale.ROOT, "%d m %02d s", s / 60, s % 60);
        return String.format(Locale.ROOT, "%d h %02d m", s / 3600, (s % 3600) / 60);
    }

    /** {@code 512 B}, {@code 1.5 KB}, {@code 23 MB} (powers of 1024, one decimal below 10). */
    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] units = {"KB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return v < 10 ? String.format(Locale.ROOT, "%.1f %s", v, units[u]) : String.format(Locale.ROOT, "%d %s", Math.round(v), units[u]);
    }

    public static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
