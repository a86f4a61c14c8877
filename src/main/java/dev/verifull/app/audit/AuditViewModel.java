package dev.verifull.app.audit;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import dev.verifull.audit.AuditEvent;
import dev.verifull.audit.AuditReader;

/** The audit view: the log read in the background, newest first, filtered by text, exportable. */
public final class AuditViewModel {
    /** The table shows at most this many of the newest records (the export takes the same rows). */
    public static final int MAX_ROWS = 20_000;

    private final Path directory;
    private final Executor background;
    private final Executor fx;
    private final ObservableList<AuditRow> rows = FXCollections.observableArrayList();
    private final FilteredList<AuditRow> visible = new FilteredList<>(rows);
    public final StringProperty text = new SimpleStringProperty("");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper();
    private int generation;

    public AuditViewModel(Path directory, Executor background, Executor fx) {
        this.directory = directory;
        this.background = background;
        this.fx = fx;
        text.addListener(x -> applyFilter());
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
                    rows.setAll(r);
                    summary.set(t);
                    loading.set(false);
                }
                done.complete(null);
            });
        });
        return done;
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
        visible.setPredicate(needle.isEmpty() ? null : row -> row.searchText().contains(needle));
    }
}
