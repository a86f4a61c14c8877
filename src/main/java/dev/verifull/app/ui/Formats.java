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
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ENGLISH);
    /** What a table shows for a value that does not apply (a refused session's duration or bytes). */
    public static final String NOT_APPLICABLE = "—";

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

    /** {@code 2026-03-01 11:00:00 CET}: audit records span days and may span a change of the clocks. */
    public static String zonedDateTime(Instant t, ZoneId zone) {
        return t == null ? "" : ZONED.format(t.atZone(zone));
    }

    public static String zonedDateTime(Instant t) {
        return zonedDateTime(t, ZoneId.systemDefault());
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

    /**
     * An IP address as people write it: IPv6 in the compact form of RFC 5952 ({@code fd7a:115c::1}
     * for the JDK's {@code fd7a:115c:0:0:0:0:0:1}), a zone kept; anything else unchanged.
     */
    public static String address(String address) {
        if (address == null) return "";
        int percent = address.indexOf('%');
        String ip = percent >= 0 ? address.substring(0, percent) : address;
        String zone = percent >= 0 ? address.substring(percent) : "";
        String[] groups = ip.split(":", -1);
        if (groups.length != 8) return address; // not the full form: compact already, or not IPv6
        int[] values = new int[8];
        for (int i = 0; i < 8; i++) {
            if (groups[i].isEmpty() || groups[i].length() > 4) return address;
            try {
                values[i] = Integer.parseInt(groups[i], 16);
            } catch (NumberFormatException e) {
                return address;
            }
        }
        // the longest run of two or more zero groups (the first of equal runs) becomes "::"
        int bestStart = -1, bestLength = 1;
        for (int i = 0; i < 8; ) {
            if (values[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && values[j] == 0) j++;
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(values[i]));
        }
        return out + zone;
    }

    /** {@code address:port}, IPv6 compact and in brackets. */
    public static String endpoint(String address, int port) {
        String a = address(address);
        return (a.contains(":") ? "[" + a + "]" : a) + ":" + port;
    }

    public static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
