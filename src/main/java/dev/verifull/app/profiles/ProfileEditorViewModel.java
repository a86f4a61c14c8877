package dev.verifull.app.profiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import dev.verifull.check.UpstreamTestResult;
import dev.verifull.connect.ConnectionStringParser;
import dev.verifull.connect.PastedConnection;
import dev.verifull.profile.CertificateFileInfo;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator.Field;
import dev.verifull.profile.ProfileValidator;
import dev.verifull.tls.TlsConfigException;
import dev.verifull.tls.UpstreamDiagnosis;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import javafx.collections.ObservableSet;

/**
 * The profile editor's state: one property per field as the user typed it, validation messages
 * per field (shown once a field was touched, or all at once for an existing profile), CA and
 * client certificate files imported in the background, the port suggestion and "Test upstream".
 * Runs on the FX thread; slow work goes to {@code background} and reports back through {@code fx}.
 */
public final class ProfileEditorViewModel {
    public enum TestState { IDLE, RUNNING, DONE }

    public static final List<String> TLS_PROVIDERS = List.of("auto", "jdk", "bc", "openssl");

    private final ProfileTools tools;
    private final String originalName;
    private final Collection<String> otherNames;
    private final Set<Integer> takenPorts;
    private final Executor background;
    private final Executor fx;

    public final StringProperty name = new SimpleStringProperty("");
    public final StringProperty upstreamHost = new SimpleStringProperty("");
    public final StringProperty upstreamPort = new SimpleStringProperty("5432");
    public final StringProperty serverName = new SimpleStringProperty("");
    public final BooleanProperty systemTrust = new SimpleBooleanProperty();
    public final ObservableList<CaFileEntry> caFiles = FXCollections.observableArrayList();
    public final StringProperty clientCertificate = new SimpleStringProperty("");
    public final StringProperty clientKey = new SimpleStringProperty("");
    public final BooleanProperty tls13Only = new SimpleBooleanProperty();
    public final BooleanProperty directTls = new SimpleBooleanProperty();
    public final StringProperty listenPort = new SimpleStringProperty("");
    public final ObjectProperty<Profile.Binding> binding = new SimpleObjectProperty<>(Profile.Binding.LOCAL_ONLY);
    public final StringProperty allowUsers = new SimpleStringProperty("");
    public final StringProperty allowTags = new SimpleStringProperty("");
    public final StringProperty allowCapability = new SimpleStringProperty("");
    public final StringProperty defaultDatabase = new SimpleStringProperty("postgres");
    public final StringProperty defaultUser = new SimpleStringProperty("");
    public final BooleanProperty startWithApp = new SimpleBooleanProperty();
    public final StringProperty tlsProvider = new SimpleStringProperty("auto");
    public final StringProperty maxSessions = new SimpleStringProperty("200");
    /** Verified upstream connections to keep ready per I/O thread; 0 = off. */
    public final ObjectProperty<Integer> warmUpstreams = new SimpleObjectProperty<>(0);
    /** Busy polling on I/O threads of the profile's own; a saved poll time other than the default is kept. */
    /** On for a new profile, as in serve: see EngineLimits.DEFAULT_BUSY_POLL_MICROS. */
    public final BooleanProperty lowLatency = new SimpleBooleanProperty(true);
    private int pollMicrosWhenOn = Profile.LOW_LATENCY_POLL_MICROS;
    /** Answer clients' TLS requests; off by default so clients' default channel binding works. */
    public final BooleanProperty offerClientTls = new SimpleBooleanProperty();
    /** For each imported file (the copy), the path the user chose it from. */
    private final Map<String, String> importedFrom = new java.util.LinkedHashMap<>();
    private final ReadOnlyObjectWrapper<String> pasteNote = new ReadOnlyObjectWrapper<>();

    private final ObservableMap<Field, String> errors = FXCollections.observableMap(new EnumMap<>(Field.class));
    private final ObservableSet<Field> touched = FXCollections.observableSet();
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyObjectWrapper<String> fileProblem = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<TestState> testState = new ReadOnlyObjectWrapper<>(TestState.IDLE);
    private final ReadOnlyObjectWrapper<UpstreamTestResult> testResult = new ReadOnlyObjectWrapper<>();
    private final AtomicLong testRun = new AtomicLong();
    private int pendingImports;
    /** Set in profiles.json; the editor has no box for it and keeps it as saved. */
    private boolean allowThisMachine;

    /**
     * @param template     values to start from (the profile being edited, or one being duplicated); null = blank
     * @param originalName name of the saved profile being edited; null for a new profile
     * @param otherNames   names of the other profiles (a name must be unique)
     * @param takenPorts   listen ports of the other profiles
     */
    public ProfileEditorViewModel(ProfileTools tools, Profile template, String originalName, Collection<String> otherNames,
                                  Set<Integer> takenPorts, Profile.Binding defaultBinding, Executor background, Executor fx) {
        this.tools = tools;
        this.originalName = originalName;
        this.otherNames = List.copyOf(otherNames);
        this.takenPorts = Set.copyOf(takenPorts);
        this.background = background;
        this.fx = fx;
        if (template != null) fill(template);
        else binding.set(defaultBinding);
        if (originalName != null) touched.addAll(Arrays.asList(Field.values()));
        // a hand-edited poll time out of range shows as an error until the box is cleared; ticked again, it is the default
        lowLatency.addListener((o, was, now) -> {
            if (ProfileValidator.busyPoll(pollMicrosWhenOn) != null) pollMicrosWhenOn = Profile.LOW_LATENCY_POLL_MICROS;
        });
        Observable[] inputs = {name, upstreamHost, upstreamPort, serverName, systemTrust, caFiles, clientCertificate,
                clientKey, tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability,
                defaultDatabase, defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, lowLatency, offerClientTls};
        for (Observable o : inputs) o.addListener(x -> validate());
        validate();
        if (originalName == null) suggestListenPort();
    }

    public boolean isNew() {
        return originalName == null;
    }

    public String originalName() {
        return originalName;
    }

    private void fill(Profile p) {
        allowThisMachine = p.allowThisMachine();
        name.set(p.name());
        upstreamHost.set(nonNull(p.upstreamHost()));
        upstreamPort.set(Integer.toString(p.upstreamPort()));
        serverName.set(nonNull(p.serverName()));
        systemTrust.set(p.systemTrust());
        clientCertificate.set(nonNull(p.clientCertificateFile()));
        clientKey.set(nonNull(p.clientKeyFile()));
        tls13Only.set(p.tls13Only());
        directTls.set(p.directTls());
        listenPort.set(Integer.toString(p.listenPort()));
        binding.set(p.binding());
        allowUsers.set(String.join(", ", p.allowUsers()));
        allowTags.set(String.join(", ", p.allowTags()));
        allowCapability.set(nonNull(p.allowCapability()));
        defaultDatabase.set(nonNull(p.defaultDatabase()));
        defaultUser.set(nonNull(p.defaultUser()));
        startWithApp.set(p.startWithApp());
        tlsProvider.set(p.tlsProvider());
        maxSessions.set(Integer.toString(p.maxSessions()));
        warmUpstreams.set(p.warmUpstreams());
        lowLatency.set(p.busyPollMicros() != 0);
        if (p.busyPollMicros() != 0) pollMicrosWhenOn = p.busyPollMicros();
        offerClientTls.set(p.offerClientTls());
        importedFrom.putAll(p.importedFrom());
        for (String file : p.caFiles()) caFiles.add(new CaFileEntry(Path.of(file), p.originalOf(file), List.of(), null));
        // existing CA files are described in the background (they may have expired since)
        for (String file : p.caFiles()) describeInBackground(Path.of(file));
    }

    // ---- validation ----

    public ObservableMap<Field, String> errors() {
        return errors;
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    /** The message to show under a field: its problem once the user has been there, else null. */
    public StringBinding messageFor(Field field) {
        return Bindings.createStringBinding(() -> touched.contains(field) ? errors.get(field) : null, errors, touched);
    }

    public void touch(Field field) {
        touched.add(field);
    }

    public void touchAll() {
        touched.addAll(Arrays.asList(Field.values()));
    }

    private void validate() {
        Map<Field, String> found = new EnumMap<>(Field.class);
        Integer upstream = port(upstreamPort.get());
        Integer listen = port(listenPort.get());
        Integer max = positive(maxSessions.get());
        Map<Field, String> fromRules = tools.validate(buildProfile(upstream, listen, max), otherNames);
        if (fromRules != null) found.putAll(fromRules);
        // the record cannot hold "54x2": say so here rather than validating a made-up number
        if (upstream == null) found.put(Field.UPSTREAM_PORT, "Port must be a number, 1–65535");
        if (listen == null) found.put(Field.LISTEN_PORT, "Port must be a number, 1–65535");
        if (max == null) found.put(Field.MAX_SESSIONS, "Maximum sessions must be a whole number above 0");
        if (!found.equals(errors)) {
            errors.keySet().retainAll(found.keySet());
            errors.putAll(found);
        }
        valid.set(found.isEmpty() && pendingImports == 0);
    }

    /** The profile as typed; null when a number field does not parse (then Save is off anyway). */
    public Profile toProfile() {
        return buildProfile(port(upstreamPort.get()), port(listenPort.get()), positive(maxSessions.get()));
    }

    private Profile buildProfile(Integer typedPort, Integer listen, Integer max) {
        // "db.example.com:5432" typed into the host field means that host and port: it is split when
        // the field is left, and meanwhile validated (and saved) as what it means.
        String host = upstreamHost.get().trim();
        Integer upstream = typedPort;
        PastedConnection hostAndPort = hostAndPort(host);
        if (hostAndPort != null) {
            host = hostAndPort.host();
            upstream = hostAndPort.port();
        }
        List<String> cas = systemTrust.get() ? List.of() : caFiles.stream().map(e -> e.path().toString()).toList();
        return new Profile(name.get().trim(), host, upstream != null ? upstream : 0,
                blankToNull(serverName.get()), cas,
                systemTrust.get(), blankToNull(clientCertificate.get()), blankToNull(clientKey.get()), tls13Only.get(),
                directTls.get(), listen != null ? listen : 0, binding.get(), list(allowUsers.get()), list(allowTags.get()),
                blankToNull(allowCapability.get()), blankToNull(defaultDatabase.get()), blankToNull(defaultUser.get()),
                startWithApp.get(), tlsProvider.get(), max != null ? max : 0,
                warmUpstreams.get() != null ? warmUpstreams.get() : 0, lowLatency.get() ? pollMicrosWhenOn : 0,
                allowThisMachine, offerClientTls.get(), originsOf(cas));
    }

    /** Where the profile's imported files came from; files no longer in it are left out. */
    private Map<String, String> originsOf(List<String> cas) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        List<String> files = new ArrayList<>(cas);
        files.add(blankToNull(clientCertificate.get()));
        files.add(blankToNull(clientKey.get()));
        for (String f : files) {
            if (f != null && importedFrom.containsKey(f)) out.put(f, importedFrom.get(f));
        }
        return out;
    }

    /** The path an imported file was chosen from, or null when not known. */
    public String originalOf(String copy) {
        return copy == null ? null : importedFrom.get(copy);
    }

    /** The host field's text when it is just {@code host:port}; null otherwise. */
    private static PastedConnection hostAndPort(String text) {
        if (text.indexOf('=') >= 0 || text.contains("://")) return null;
        try {
            return ConnectionStringParser.parse(text);
        } catch (IllegalArgumentException e) {
            return null; // e.g. a port out of range: the host check names the problem
        }
    }

    // ---- paste to fill ----

    /** What the last paste filled in and what was left out (a password, other hosts), or why it could not be read; null when none. */
    public ReadOnlyObjectProperty<String> pasteNoteProperty() {
        return pasteNote.getReadOnlyProperty();
    }

    /**
     * Fills host, port, database, user and server name (and the trust, for {@code sslrootcert}) from
     * a pasted connection string or {@code host:port}; the name too, from the host, while it is empty.
     *
     * @return false when the text is no connection string (a plain host name), so nothing changed
     */
    public boolean fillFrom(String text) {
        PastedConnection c;
        try {
            c = ConnectionStringParser.parse(text);
        } catch (IllegalArgumentException e) {
            pasteNote.set("This connection string cannot be read: " + e.getMessage() + ".");
            return false;
        }
        if (c == null) return false;
        List<String> notes = new ArrayList<>();
        if (c.host() != null) upstreamHost.set(c.host());
        else if (text.strip().equals(upstreamHost.get().strip())) upstreamHost.set(""); // the string itself is no host
        if (c.port() != null) upstreamPort.set(Integer.toString(c.port()));
        if (c.database() != null) defaultDatabase.set(c.database());
        if (c.user() != null) defaultUser.set(c.user());
        if (c.serverName() != null) serverName.set(c.serverName());
        if (c.host() != null && name.get().isBlank() && !otherNames.contains(suggestedName(c.host()))) name.set(suggestedName(c.host()));
        if ("system".equals(c.sslRootCert())) {
            systemTrust.set(true);
        } else if (c.sslRootCert() != null) {
            String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home")); // as a shell reads ~
            Path ca = Path.of(c.sslRootCert().startsWith("~/") ? home + c.sslRootCert().substring(1) : c.sslRootCert());
            if (java.nio.file.Files.isRegularFile(ca)) {
                systemTrust.set(false);
                addCaFile(ca);
            } else {
                notes.add("It names the CA file " + c.sslRootCert() + ", which is not on this computer: add that file below.");
            }
        }
        notes.addAll(c.notes());
        List<String> filled = new ArrayList<>(c.filledParts());
        if (!notes.isEmpty() && notes.get(0).startsWith("It names the CA file")) filled.remove("CA"); // not found: not filled
        boolean onlyHostAndPort = filled.equals(List.of("host", "port"));
        pasteNote.set(onlyHostAndPort && notes.isEmpty() ? null
                : "Filled in from the connection string: " + String.join(", ", filled) + "."
                        + (notes.isEmpty() ? "" : " " + String.join(" ", notes)));
        for (Field f : List.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT, Field.DEFAULT_DATABASE, Field.DEFAULT_USER, Field.SERVER_NAME)) {
            touch(f);
        }
        return true;
    }

    /** Says why nothing could be filled in (e.g. the clipboard holds no connection string). */
    public void showPasteProblem(String text) {
        pasteNote.set(text);
    }

    /** Splits {@code host:port} or reads a connection string left in the host field (when it is left, or on save). */
    public void fillFromHostField() {
        String text = upstreamHost.get();
        if (text != null && !text.isBlank() && (hostAndPort(text.strip()) != null || text.contains("://") || text.indexOf('=') >= 0)) {
            fillFrom(text);
        }
    }

    /** A profile name from a host: its first label ({@code orders} for {@code orders.abc123.eu-west-1.rds.amazonaws.com}). */
    static String suggestedName(String host) {
        if (host.indexOf(':') >= 0 || host.matches("[0-9.]+")) return host; // an address names itself
        int dot = host.indexOf('.');
        String first = dot > 0 ? host.substring(0, dot) : host;
        return first.length() > ProfileValidator.MAX_NAME_LENGTH ? first.substring(0, ProfileValidator.MAX_NAME_LENGTH) : first;
    }

    static List<String> list(String text) {
        if (text == null) return List.of();
        List<String> out = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    private static Integer port(String text) {
        Integer n = number(text);
        return n != null && n >= 1 && n <= 65535 ? n : null;
    }

    private static Integer positive(String text) {
        Integer n = number(text);
        return n != null && n > 0 ? n : null;
    }

    private static Integer number(String text) {
        try {
            return Integer.parseInt(text == null ? "" : text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    /** What the warm upstream count means on this computer, where the engines run on {@link ProfileTools#ioThreads}. */
    public StringBinding warmUpstreamsSummary() {
        int threads = tools.ioThreads();
        return Bindings.createStringBinding(() -> {
            int perThread = warmUpstreams.get() != null ? warmUpstreams.get() : 0;
            if (perThread <= 0) return "Off: each session connects to the server and verifies it when its client arrives.";
            int total = perThread * threads;
            return "On this computer: " + total + " connection" + (total == 1 ? "" : "s") + " to the server kept open and verified ("
                    + perThread + " on each of Verifull's " + threads + " engine thread" + (threads == 1 ? "" : "s") + ").";
        }, warmUpstreams);
    }

    // ---- files ----

    /** True while files are being imported (Save waits for them). */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Why the last file could not be imported, or null. */
    public ReadOnlyObjectProperty<String> fileProblemProperty() {
        return fileProblem.getReadOnlyProperty();
    }

    /** Copies the file into the app-data dir and lists its certificates, in the background. */
    public void addCaFile(Path source) {
        String original = source.toAbsolutePath().toString();
        importing(source, imported -> {
            List<CertificateFileInfo.Entry> facts;
            String error = null;
            try {
                facts = tools.describeCertificates(imported);
            } catch (TlsConfigException | RuntimeException e) {
                facts = List.of();
                error = e.getMessage();
            }
            CaFileEntry entry = new CaFileEntry(imported, original, facts, error);
            fx.execute(() -> {
                remember(imported, original);
                String note = pasteNote.get();
                if (note != null && note.contains(", which is not on this computer: add that file below.")) {
                    pasteNote.set(note.replaceFirst(" ?It names the CA file .*?, which is not on this computer: add that file below\\.", ""));
                }
                caFiles.removeIf(e -> e.path().equals(imported));
                caFiles.add(entry);
                touch(Field.CA_FILES);
            });
        });
    }

    public void removeCaFile(CaFileEntry entry) {
        caFiles.remove(entry);
        touch(Field.CA_FILES);
    }

    public void chooseClientCertificate(Path source) {
        importing(source, imported -> fx.execute(() -> {
            remember(imported, source.toAbsolutePath().toString());
            clientCertificate.set(imported.toString());
            touch(Field.CLIENT_CERTIFICATE);
        }));
    }

    public void chooseClientKey(Path source) {
        importing(source, imported -> fx.execute(() -> {
            remember(imported, source.toAbsolutePath().toString());
            clientKey.set(imported.toString());
            touch(Field.CLIENT_KEY);
        }));
    }

    /** A file chosen from inside the app data is its own original: nothing to remember. */
    private void remember(Path copy, String original) {
        if (!copy.toString().equals(original)) importedFrom.put(copy.toString(), original);
    }

    private interface ImportedFile {
        void accept(Path imported);
    }

    private void importing(Path source, ImportedFile then) {
        pendingImports++;
        busy.set(true);
        fileProblem.set(null);
        validate();
        background.execute(() -> {
            try {
                then.accept(tools.importFile(source));
            } catch (TlsConfigException | IOException | RuntimeException e) {
                fx.execute(() -> fileProblem.set(source.getFileName() + " could not be added: " + e.getMessage()));
            } finally {
                fx.execute(() -> {
                    pendingImports--;
                    busy.set(pendingImports > 0);
                    validate();
                });
            }
        });
    }

    private void describeInBackground(Path file) {
        background.execute(() -> {
            CaFileEntry entry;
            try {
                entry = new CaFileEntry(file, originalOf(file.toString()), tools.describeCertificates(file), null);
            } catch (TlsConfigException | RuntimeException e) {
                entry = new CaFileEntry(file, originalOf(file.toString()), List.of(), e.getMessage() != null ? e.getMessage() : e.toString());
            }
            CaFileEntry described = entry;
            fx.execute(() -> {
                int i = indexOf(file);
                if (i >= 0) caFiles.set(i, described);
            });
        });
    }

    private int indexOf(Path file) {
        for (int i = 0; i < caFiles.size(); i++) {
            if (caFiles.get(i).path().equals(file)) return i;
        }
        return -1;
    }

    // ---- listen port ----

    /** Finds the first free port from 6432 in the background and puts it into the field. */
    public void suggestListenPort() {
        background.execute(() -> {
            int port;
            try {
                port = tools.suggestListenPort(takenPorts);
            } catch (RuntimeException e) {
                return; // the user can still type one
            }
            fx.execute(() -> listenPort.set(Integer.toString(port)));
        });
    }

    // ---- Test upstream ----

    public ReadOnlyObjectProperty<TestState> testStateProperty() {
        return testState.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<UpstreamTestResult> testResultProperty() {
        return testResult.getReadOnlyProperty();
    }

    private static final Set<Field> UPSTREAM_FIELDS = Set.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT,
            Field.SERVER_NAME, Field.CA_FILES, Field.CLIENT_CERTIFICATE, Field.CLIENT_KEY,
            Field.TLS_PROVIDER);

    /** The upstream fields must be valid; the rest of the form need not be finished. */
    public boolean canTest() {
        return errors.keySet().stream().noneMatch(UPSTREAM_FIELDS::contains) && pendingImports == 0;
    }

    /**
     * Connects to the upstream with the settings as typed, in the background. A newer run
     * replaces an older one's result.
     */
    public void testUpstream() {
        if (!canTest()) {
            touched.addAll(UPSTREAM_FIELDS);
            Set<Field> marked = UPSTREAM_FIELDS.stream().filter(errors::containsKey).collect(java.util.stream.Collectors.toSet());
            testResult.set(notRun("Fix the marked fields first: the test needs a valid host, port and trust.", marked));
            testState.set(TestState.DONE);
            return;
        }
        long run = testRun.incrementAndGet();
        testState.set(TestState.RUNNING);
        testResult.set(null);
        Profile candidate = toProfile();
        try {
            tools.testUpstream(candidate, background).whenComplete((result, error) -> fx.execute(() -> {
                if (run != testRun.get()) return;
                testResult.set(error == null ? result : notRun("The test could not run: " + rootMessage(error), Set.of()));
                testState.set(TestState.DONE);
            }));
        } catch (RuntimeException e) {
            testResult.set(notRun("The test could not run: " + rootMessage(e), Set.of()));
            testState.set(TestState.DONE);
        }
    }

    private UpstreamTestResult notRun(String message, Set<Field> fields) {
        return new UpstreamTestResult(false, upstreamHost.get() + ":" + upstreamPort.get(), null, null, null, null, null,
                List.of(), 0, new UpstreamDiagnosis(UpstreamDiagnosis.Kind.CONFIGURATION, message, "", ""), fields, List.of());
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        return c.getMessage() != null ? c.getMessage() : c.toString();
    }
}
