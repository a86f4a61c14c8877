package dev.verifull.app.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditReader;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The audit view: the log read in the background, newest first, filtered by text, event kind and
 * day, exportable; while following, read again whenever its files change.
 */
public final class AuditViewModel {
    /** The event kind choice box. */
    public enum EventFilter {
        ALL("All events", null), START("Starts", AuditEvent.SESSION_START), END("Ends", AuditEvent.SESSION_END),
        REFUSED("Refusals", AuditEvent.SESSION_REFUSED);

        private final String label;
        private final String event;

        EventFilter(String label, String event) {
            this.label = label;
            this.event = event;
        }

        boolean test(AuditRow row) {
            return event == null || event.equals(row.event().event());
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The table shows at most this many of the newest records (the export takes the same rows). */
    public static final int MAX_ROWS = 20_000;

    private final Path directory;
    private final Executor background;
    private final Executor fx;
    private final ObservableList<AuditRow> rows = FXCollections.observableArrayList();
    private final FilteredList<AuditRow> visible = new FilteredList<>(rows);
    public final StringProperty text = new SimpleStringProperty("");
    public final ObjectProperty<EventFilter> kind = new SimpleObjectProperty<>(EventFilter.ALL);
    /** Only records of this local day; null = every day. */
    public final ObjectProperty<LocalDate> day = new SimpleObjectProperty<>();
    private final ZoneId zone;
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private int generation;
    /** What the files looked like at the last read; a follow check compares against it. */
    private volatile String readState = "";
    private boolean checking;

    public AuditViewModel(Path directory, Executor background, Executor fx) {
        this(directory, background, fx, ZoneId.systemDefault());
    }

    public AuditViewModel(Path directory, Executor background, Executor fx, ZoneId zone) {
        this.directory = directory;
        this.background = background;
        this.fx = fx;
        this.zone = zone;
        text.addListener(x -> applyFilter());
        kind.addListener(x -> applyFilter());
        day.addListener(x -> applyFilter());
    }

    public ZoneId zone() {
        return zone;
    }

    public Path directory() {
        return directory;
    }

    public ObservableList<AuditRow> visibleRows() {
        return visible;
    }

    public ObservableList<AuditRow> rows() {
        return rows;
    }

    /** e.g. "1,204 records" or why the log could not be read. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    /** Reads the whole log again in the background. */
    public CompletableFuture<Void> reload() {
        int run = ++generation;
        loading.set(true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        background.execute(() -> {
            List<AuditRow> read;
            String text;
            String state = filesState();
            try {
                if (!Files.isDirectory(directory)) {
                    read = List.of();
                    text = "No audit records yet";
                } else {
                    AuditReader.Result result = AuditReader.read(directory, AuditReader.Order.NEWEST_FIRST);
                    List<AuditEvent> events = result.events();
                    read = events.stream().limit(MAX_ROWS).map(AuditRow::new).toList();
                    text = describe(events.size(), result.skipped().size());
                }
            } catch (IOException | RuntimeException e) {
                read = List.of();
                text = "The audit log could not be read: " + e.getMessage();
            }
            List<AuditRow> r = read;
            String t = text;
            fx.execute(() -> {
                if (run == generation) {
                    readState = state;
                    rows.setAll(r);
                    summary.set(t);
                    loading.set(false);
                }
                done.complete(null);
            });
        });
        return done;
    }

    /**
     * For "Follow": reads the log again if its files changed since the last read (a record was
     * written, a file begun or deleted). At most one check at a time; FX thread.
     */
    public CompletableFuture<Boolean> reloadIfChanged() {
        if (checking || loading.get()) return CompletableFuture.completedFuture(false);
        checking = true;
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        background.execute(() -> {
            boolean changed = !filesState().equals(readState);
            fx.execute(() -> {
                checking = false;
                if (!changed) {
                    done.complete(false);
                    return;
                }
                reload().whenComplete((x, e) -> done.complete(true));
            });
        });
        return done;
    }

    /** Names, sizes and modification times of the log's files: changes whenever a record is written. */
    private String filesState() {
        if (!Files.isDirectory(directory)) return "";
        try (var files = Files.list(directory)) {
            StringBuilder b = new StringBuilder();
            for (Path f : files.sorted().toList()) {
                b.append(f.getFileName()).append(' ').append(Files.size(f)).append(' ')
                        .append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
            return b.toString();
        } catch (IOException | RuntimeException e) {
            return "unreadable " + e.getMessage();
        }
    }

    private static String describe(int records, int skipped) {
        String text = records == 0 ? "No audit records yet"
                : String.format(Locale.ENGLISH, "%,d record%s", records, records == 1 ? "" : "s");
        if (records > MAX_ROWS) text += String.format(Locale.ENGLISH, ", newest %,d shown", MAX_ROWS);
        if (skipped > 0) text += String.format(Locale.ENGLISH, " · %,d damaged line%s skipped", skipped, skipped == 1 ? "" : "s");
        return text;
    }

    /** Writes the rows that pass the filter to a CSV file (temp file, then move), in the background. */
    public CompletableFuture<Integer> exportCsv(Path target) {
        List<AuditEvent> events = visible.stream().map(AuditRow::event).toList();
        return CompletableFuture.supplyAsync(() -> {
            try {
                Path dir = target.toAbsolutePath().getParent();
                Path temp = Files.createTempFile(dir, ".verifull-audit", ".csv");
                try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                    AuditCsv.write(events, out);
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                return events.size();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, background);
    }

    private void applyFilter() {
        String needle = Objects.requireNonNullElse(text.get(), "").trim().toLowerCase(Locale.ROOT);
        EventFilter which = kind.get() != null ? kind.get() : EventFilter.ALL;
        LocalDate only = day.get();
        visible.setPredicate(row -> (needle.isEmpty() || row.searchText().contains(needle)) && which.test(row)
                && (only == null || only.equals(row.time().atZone(zone).toLocalDate())));
    }
}
