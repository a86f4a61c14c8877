package dev.verifull.app.profiles;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.verifull.app.TestTools;
import dev.verifull.check.UpstreamTestResult;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.CertificateFileInfo;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator.Field;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The editor's state without a toolkit, on the real profile tools; executors run inline or on demand. */
class ProfileEditorViewModelTest {
    @TempDir Path dir;
    private final Executor inline = Runnable::run;

    private ProfileEditorViewModel newEditor(TestTools tools) {
        return new ProfileEditorViewModel(tools, null, null, List.of("existing"), Set.of(), Profile.Binding.LOCAL_ONLY, inline, inline);
    }

    @Test
    void aNewProfileShowsNoMessagesUntilAFieldIsTouchedButCannotBeSaved() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        assertFalse(vm.validProperty().get());
        assertNull(vm.messageFor(Field.NAME).get());
        vm.touch(Field.NAME);
        assertEquals("Name is required", vm.messageFor(Field.NAME).get());
    }

    @Test
    void aPastedStringFillsTheFieldsItNamesAndSaysWhatItLeftOut() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        assertTrue(vm.fillFrom("postgresql://ann:pw@a.example.com:5433,b.example.com/app?sslrootcert=system"));
        assertEquals("a.example.com", vm.upstreamHost.get());
        assertEquals("5433", vm.upstreamPort.get());
        assertEquals("app", vm.defaultDatabase.get());
        assertEquals("ann", vm.defaultUser.get());
        assertEquals("a", vm.name.get());
        assertTrue(vm.systemTrust.get(), "sslrootcert=system: the system trust store");
        assertEquals("Filled in from the connection string: host, port, database, user, CA. The password was left out: Verifull never "
                + "stores passwords (your client asks for it, or reads it from ~/.pgpass). The string names 2 servers; the first "
                + "is used. Make a profile for each server you need.", vm.pasteNoteProperty().get());
        assertFalse(vm.fillFrom("db.example.com"), "a plain host is not a connection string");
        assertFalse(vm.fillFrom("host='x"));
        assertEquals("This connection string cannot be read: the quoted value of \"host\" has no closing quote.", vm.pasteNoteProperty().get());
        assertEquals("a.example.com", vm.upstreamHost.get(), "nothing changed");
    }

    @Test
    void aPastedSslRootCertThatExistsIsImportedAsTheCaFileWithItsOrigin() throws Exception {
        TestTools tools = new TestTools(dir);
        ProfileEditorViewModel vm = newEditor(tools);
        Path ca = Files.copy(TestCa.shared().caFile(), dir.resolve("provider-ca.pem"));
        vm.fillFrom("host=db.example.com sslrootcert=" + ca);
        assertEquals(1, vm.caFiles.size());
        CaFileEntry entry = vm.caFiles.get(0);
        assertEquals(ca.toString(), entry.original());
        assertEquals(AppDataDir.certificates(dir), entry.path().getParent());
        vm.name.set("orders");
        assertEquals(ca.toString(), vm.toProfile().originalOf(entry.path().toString()));
        vm.fillFrom("host=db.example.com sslrootcert=/nowhere/ca.pem");
        assertEquals("Filled in from the connection string: host. It names the CA file /nowhere/ca.pem, which is not on this "
                + "computer: add that file below.", vm.pasteNoteProperty().get());
        vm.addCaFile(ca);
        assertEquals("Filled in from the connection string: host.", vm.pasteNoteProperty().get(), "answered by adding the file");
    }

    @Test
    void hostAndPortLeftInTheHostFieldAreSplit() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        vm.upstreamHost.set("[fd7a:115c:a1e0::1]:6543");
        vm.fillFromHostField();
        assertEquals("fd7a:115c:a1e0::1", vm.upstreamHost.get());
        assertEquals("6543", vm.upstreamPort.get());
        assertNull(vm.pasteNoteProperty().get());
        vm.upstreamHost.set("db.example.com");
        vm.fillFromHostField();
        assertEquals("db.example.com", vm.upstreamHost.get(), "a plain host stays");
    }

    @Test
    void offerClientTlsStartsOffAndIsSaved() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        assertFalse(vm.offerClientTls.get());
        vm.offerClientTls.set(true);
        assertTrue(vm.toProfile().offerClientTls());
        assertTrue(newEditorWith(new TestTools(dir), vm.toProfile()).offerClientTls.get());
    }

    @Test
    void theListenPortSuggestionSkipsTakenPorts() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.setReuseAddress(false);
            int free;
            try (ServerSocket probe = new ServerSocket(0)) {
                free = probe.getLocalPort();
            }
            ProfileEditorViewModel vm = new ProfileEditorViewModel(new TestTools(dir), null, null, List.of(),
                    Set.of(6432, 6433), Profile.Binding.LOCAL_ONLY, inline, inline);
            int suggested = Integer.parseInt(vm.listenPort.get());
            assertTrue(suggested >= 6434, "taken by other profiles: " + suggested);
            assertTrue(free > 0);
        }
    }

    @Test
    void messagesFollowTheTypingAndSaveTurnsOnWhenEverythingIsValid() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        vm.touchAll();
        vm.name.set("existing");
        assertEquals("Another profile is already called 'existing'", vm.messageFor(Field.NAME).get());
        vm.name.set("orders");
        assertNull(vm.messageFor(Field.NAME).get());
        vm.upstreamHost.set("db.example.com:");
        assertEquals("Put the port in the port field, not after the host", vm.messageFor(Field.UPSTREAM_HOST).get());
        vm.upstreamHost.set("db.example.com:6543");
        assertNull(vm.messageFor(Field.UPSTREAM_HOST).get(), "host:port is understood, not flagged");
        assertEquals(6543, vm.toProfile().upstreamPort());
        vm.upstreamHost.set("db.example.com");
        assertEquals("Add at least one CA file, or use the system trust store", vm.messageFor(Field.CA_FILES).get());
        vm.systemTrust.set(true);
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
        Profile p = vm.toProfile();
        assertEquals("orders", p.name());
        assertEquals(5432, p.upstreamPort());
        assertTrue(p.listenPort() >= Profile.DEFAULT_LISTEN_PORT);
        assertTrue(p.systemTrust());
        assertEquals(Profile.Binding.LOCAL_ONLY, p.binding());
    }

    @Test
    void numberFieldsThatDoNotParseHaveTheirOwnMessage() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        vm.touchAll();
        vm.upstreamPort.set("54x2");
        vm.listenPort.set("70000");
        vm.maxSessions.set("0");
        assertEquals("Port must be a number, 1–65535", vm.messageFor(Field.UPSTREAM_PORT).get());
        assertEquals("Port must be a number, 1–65535", vm.messageFor(Field.LISTEN_PORT).get());
        assertEquals("Maximum sessions must be a whole number above 0", vm.messageFor(Field.MAX_SESSIONS).get());
    }

    @Test
    void aCaFileIsImportedAndDescribedInTheBackgroundAndSaveWaitsForIt() {
        List<Runnable> background = new ArrayList<>();
        ProfileEditorViewModel vm = new ProfileEditorViewModel(new TestTools(dir), null, null,
                List.of(), Set.of(), Profile.Binding.LOCAL_ONLY, background::add, inline);
        runAll(background);
        vm.name.set("orders");
        vm.upstreamHost.set("localhost");
        vm.addCaFile(TestCa.shared().caFile());
        assertTrue(vm.busyProperty().get());
        assertFalse(vm.validProperty().get(), "Save waits for the import");
        runAll(background);
        assertFalse(vm.busyProperty().get());
        assertEquals(1, vm.caFiles.size());
        CaFileEntry entry = vm.caFiles.get(0);
        assertEquals(AppDataDir.certificates(dir), entry.path().getParent(), "the copy in the app-data dir is kept");
        assertTrue(Files.exists(entry.path()));
        assertEquals(1, entry.certificates().size());
        assertTrue(entry.certificates().get(0).subject().contains("Verifull Test Root"));
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
        assertEquals(List.of(entry.path().toString()), vm.toProfile().caFiles());
    }

    @Test
    void aLeafCertificateAsCaFileCarriesAWarning() {
        Path leaf = TestPki.selfSignedServer("db.example.com").writeCertificate(dir.resolve("leaf.pem"));
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        vm.addCaFile(leaf);
        CertificateFileInfo.Entry cert = vm.caFiles.get(0).certificates().get(0);
        assertTrue(cert.hasWarning(CertificateFileInfo.WarningKind.NOT_A_CA));
        assertTrue(vm.caFiles.get(0).hasWarnings());
    }

    @Test
    void aFileThatIsNoCertificateSaysSoAndAddsNothing() throws Exception {
        Path junk = Files.writeString(dir.resolve("notes.txt"), "hello");
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        vm.addCaFile(junk);
        assertTrue(vm.fileProblemProperty().get().startsWith("notes.txt could not be added: "), vm.fileProblemProperty().get());
        assertTrue(vm.caFiles.isEmpty());
    }

    @Test
    void editingKeepsTheValuesAndShowsProblemsAtOnce() {
        Profile saved = new Profile("orders", "db.example.com", 5433, "db.internal", List.of(), true, null, null, true, true,
                6440, Profile.Binding.TAILNET, List.of("alice@example.com", "*@ops.example.com"), List.of("tag:ci"), null,
                "orders", "app", true, "openssl", 50, 3, 80);
        ProfileEditorViewModel vm = new ProfileEditorViewModel(new TestTools(dir), saved, "orders", List.of("billing"),
                Set.of(6432), Profile.Binding.LOCAL_ONLY, inline, inline);
        assertEquals("6440", vm.listenPort.get(), "an edited profile keeps its port");
        assertEquals("alice@example.com, *@ops.example.com", vm.allowUsers.get());
        assertEquals(3, vm.warmUpstreams.get());
        assertEquals(saved, vm.toProfile());
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
        vm.upstreamHost.set("db example");
        assertEquals("Host name or IP address contains spaces", vm.messageFor(Field.UPSTREAM_HOST).get());
    }

    @Test
    void aNewProfileKeepsNoWarmConnections() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        assertEquals(0, vm.warmUpstreams.get());
        assertEquals("Off: each session connects to the server and verifies it when its client arrives.", vm.warmUpstreamsSummary().get());
        vm.touchAll();
        assertNull(vm.messageFor(Field.WARM_UPSTREAMS).get());
    }

    @Test
    void theWarmCountGoesIntoTheProfileAndTheSummaryCountsServerConnections() {
        TestTools tools = new TestTools(dir);
        tools.ioThreads = 4;
        ProfileEditorViewModel vm = newEditor(tools);
        vm.name.set("orders");
        vm.upstreamHost.set("db.example.com");
        vm.systemTrust.set(true);
        vm.warmUpstreams.set(2);
        assertEquals("On this computer: 8 connections to the server kept open and verified (2 on each of Verifull's 4 engine threads).",
                vm.warmUpstreamsSummary().get());
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
        assertEquals(2, vm.toProfile().warmUpstreams());
        tools.ioThreads = 1;
        vm.warmUpstreams.set(1);
        assertEquals("On this computer: 1 connection to the server kept open and verified (1 on each of Verifull's 1 engine thread).",
                newEditorWith(tools, vm.toProfile()).warmUpstreamsSummary().get());
    }

    @Test
    void aCountOutsideTheRangeBlocksSavingWithItsMessage() {
        Profile handEdited = profile().name("orders").warmUpstreams(12).build();
        ProfileEditorViewModel vm = newEditorWith(new TestTools(dir), handEdited);
        assertEquals(12, vm.warmUpstreams.get(), "kept as read, so the message can say what is wrong");
        assertEquals("Keep 0–8 connections ready: each one holds a server connection slot", vm.messageFor(Field.WARM_UPSTREAMS).get());
        assertFalse(vm.validProperty().get());
        vm.warmUpstreams.set(8);
        assertNull(vm.messageFor(Field.WARM_UPSTREAMS).get());
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
    }

    @Test
    void lowLatencyIsOnForANewProfileAndUntickingItTurnsPollingOff() {
        ProfileEditorViewModel vm = newEditor(new TestTools(dir));
        vm.name.set("orders");
        vm.upstreamHost.set("db.example.com");
        vm.systemTrust.set(true);
        assertTrue(vm.lowLatency.get());
        assertEquals(Profile.LOW_LATENCY_POLL_MICROS, vm.toProfile().busyPollMicros());
        vm.lowLatency.set(false);
        assertEquals(0, vm.toProfile().busyPollMicros());
        vm.lowLatency.set(true);
        assertEquals(Profile.LOW_LATENCY_POLL_MICROS, vm.toProfile().busyPollMicros());
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
    }

    @Test
    void aSavedPollTimeIsKeptAcrossClearingAndTickingTheBox() {
        ProfileEditorViewModel vm = newEditorWith(new TestTools(dir),
                profile().name("orders").busyPollMicros(120).build());
        assertTrue(vm.lowLatency.get());
        vm.lowLatency.set(false);
        assertEquals(0, vm.toProfile().busyPollMicros());
        vm.lowLatency.set(true);
        assertEquals(120, vm.toProfile().busyPollMicros());
    }

    @Test
    void aHandEditedPollTimeOutOfRangeIsShownAndClearingTheBoxMendsIt() {
        ProfileEditorViewModel vm = newEditorWith(new TestTools(dir),
                profile().name("orders").busyPollMicros(5000).build());
        assertEquals("Look for traffic 0–1000 µs before sleeping (0 = off)", vm.messageFor(Field.BUSY_POLL).get());
        assertFalse(vm.validProperty().get());
        vm.lowLatency.set(false);
        assertNull(vm.messageFor(Field.BUSY_POLL).get());
        vm.lowLatency.set(true);
        assertEquals(Profile.LOW_LATENCY_POLL_MICROS, vm.toProfile().busyPollMicros(), "ticked again, it is the default");
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
    }

    private ProfileEditorViewModel newEditorWith(TestTools tools, Profile saved) {
        return new ProfileEditorViewModel(tools, saved, saved.name(), List.of(), Set.of(), Profile.Binding.LOCAL_ONLY, inline, inline);
    }

    @Test
    void testUpstreamRunsInTheBackgroundAndOnlyTheLatestRunCounts() {
        TestTools tools = new TestTools(dir);
        ProfileEditorViewModel vm = newEditor(tools);
        vm.name.set("orders");
        vm.upstreamHost.set("localhost");
        vm.systemTrust.set(true);
        CompletableFuture<UpstreamTestResult> first = new CompletableFuture<>();
        tools.nextTest = first;
        vm.testUpstream();
        assertEquals(ProfileEditorViewModel.TestState.RUNNING, vm.testStateProperty().get());
        CompletableFuture<UpstreamTestResult> second = new CompletableFuture<>();
        tools.nextTest = second;
        vm.testUpstream();
        second.complete(TestTools.verified());
        first.complete(TestTools.failed("stale"));
        assertEquals(ProfileEditorViewModel.TestState.DONE, vm.testStateProperty().get());
        assertTrue(vm.testResultProperty().get().ok(), "the older run's late answer is ignored");
    }

    @Test
    void testUpstreamWithBrokenUpstreamFieldsPointsAtThemInsteadOfConnecting() {
        TestTools tools = new TestTools(dir);
        ProfileEditorViewModel vm = newEditor(tools);
        vm.testUpstream();
        assertEquals(0, tools.testsRun.get());
        UpstreamTestResult result = vm.testResultProperty().get();
        assertFalse(result.ok());
        assertTrue(result.fields().contains(Field.UPSTREAM_HOST));
        assertEquals("Host is required", vm.messageFor(Field.UPSTREAM_HOST).get());
    }

    private static void runAll(List<Runnable> queue) {
        while (!queue.isEmpty()) queue.remove(0).run();
    }
}
