package dev.verifull.app.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.StandInProfileTools;
import dev.verifull.profile.Profile;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;

/** The editor's state without a toolkit: executors run tasks inline or on demand. */
class ProfileEditorViewModelTest {
    @TempDir Path dir;
    private final Executor inline = Runnable::run;

    private ProfileEditorViewModel newEditor(StandInProfileTools tools) {
        return new ProfileEditorViewModel(tools, null, null, List.of("existing"), Set.of(6432), Profile.Binding.LOCAL_ONLY, inline, inline);
    }

    @Test
    void aNewProfileShowsNoMessagesUntilAFieldIsTouchedButCannotBeSaved() {
        ProfileEditorViewModel vm = newEditor(new StandInProfileTools(dir));
        assertFalse(vm.validProperty().get());
        assertNull(vm.messageFor(ProfileField.NAME).get());
        vm.touch(ProfileField.NAME);
        assertEquals("Give the profile a name.", vm.messageFor(ProfileField.NAME).get());
    }

    @Test
    void theListenPortIsSuggestedPastTheOtherProfilesPorts() {
        ProfileEditorViewModel vm = newEditor(new StandInProfileTools(dir));
        assertEquals("6433", vm.listenPort.get());
    }

    @Test
    void messagesFollowTheTypingAndSaveTurnsOnWhenEverythingIsValid() {
        ProfileEditorViewModel vm = newEditor(new StandInProfileTools(dir));
        vm.touchAll();
        vm.name.set("existing");
        assertEquals("Another profile is called existing.", vm.messageFor(ProfileField.NAME).get());
        vm.name.set("orders");
        assertNull(vm.messageFor(ProfileField.NAME).get());
        vm.upstreamHost.set("db.example.com");
        vm.systemTrust.set(true);
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
        Profile p = vm.toProfile();
        assertEquals("orders", p.name());
        assertEquals(5432, p.upstreamPort());
        assertEquals(6433, p.listenPort());
        assertTrue(p.systemTrust());
        assertEquals(Profile.Binding.LOCAL_ONLY, p.binding());
    }

    @Test
    void numberFieldsThatDoNotParseHaveTheirOwnMessage() {
        ProfileEditorViewModel vm = newEditor(new StandInProfileTools(dir));
        vm.touchAll();
        vm.upstreamPort.set("54x2");
        vm.listenPort.set("70000");
        vm.maxSessions.set("0");
        assertEquals("Enter a port number from 1 to 65535.", vm.messageFor(ProfileField.UPSTREAM_PORT).get());
        assertEquals("Enter a port number from 1 to 65535.", vm.messageFor(ProfileField.LISTEN_PORT).get());
        assertEquals("Enter a whole number greater than 0.", vm.messageFor(ProfileField.MAX_SESSIONS).get());
    }

    @Test
    void aCaFileIsImportedAndDescribedInTheBackgroundAndSaveWaitsForIt() {
        List<Runnable> background = new ArrayList<>();
        ProfileEditorViewModel vm = new ProfileEditorViewModel(new StandInProfileTools(dir.resolve("ca")), null, null,
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
        assertEquals(dir.resolve("ca").resolve("ca.crt"), entry.path(), "the copy in the app-data dir is kept");
        assertEquals(1, entry.certificates().size());
        assertTrue(entry.certificates().get(0).subject().contains("Verifull Test Root"));
        assertTrue(vm.validProperty().get(), () -> vm.errors().toString());
        assertEquals(List.of(entry.path().toString()), vm.toProfile().caFiles());
    }

    @Test
    void aLeafCertificateAsCaFileCarriesAWarning() {
        Path leaf = TestPki.selfSignedServer("db.example.com").writeCertificate(dir.resolve("leaf.pem"));
        ProfileEditorViewModel vm = newEditor(new StandInProfileTools(dir.resolve("ca")));
        vm.addCaFile(leaf);
        assertEquals(List.of("Not a CA certificate"), vm.caFiles.get(0).certificates().get(0).warnings());
        assertTrue(vm.caFiles.get(0).hasWarnings());
    }

    @Test
    void anUnreadableFileSaysSoAndAddsNothing() {
        StandInProfileTools tools = new StandInProfileTools(dir.resolve("ca")) {
            @Override
            public Path importFile(Path source) throws java.io.IOException {
                throw new java.io.IOException("not a PEM file");
            }
        };
        ProfileEditorViewModel vm = newEditor(tools);
        vm.addCaFile(dir.resolve("junk.txt"));
        assertEquals("junk.txt could not be imported: not a PEM file", vm.fileProblemProperty().get());
        assertTrue(vm.caFiles.isEmpty());
    }

    @Test
    void editingKeepsTheValuesAndShowsProblemsAtOnce() {
        Profile saved = new Profile("orders", "db.example.com", 5433, "db.internal", List.of(), true, null, null, true, true,
                6440, Profile.Binding.TAILNET, List.of("alice@example.com", "*@ops.example.com"), List.of("tag:ci"), null,
                "orders", "app", true, "openssl", 50);
        ProfileEditorViewModel vm = new ProfileEditorViewModel(new StandInProfileTools(dir), saved, "orders", List.of("billing"),
                Set.of(6432), Profile.Binding.LOCAL_ONLY, inline, inline);
        assertEquals("6440", vm.listenPort.get(), "an edited profile keeps its port");
        assertEquals("alice@example.com, *@ops.example.com", vm.allowUsers.get());
        assertEquals(saved, vm.toProfile());
        vm.upstreamHost.set("db example");
        assertEquals("A host name has no spaces.", vm.messageFor(ProfileField.UPSTREAM_HOST).get());
    }

    @Test
    void testUpstreamRunsInTheBackgroundAndOnlyTheLatestRunCounts() {
        StandInProfileTools tools = new StandInProfileTools(dir);
        ProfileEditorViewModel vm = newEditor(tools);
        vm.name.set("orders");
        vm.upstreamHost.set("localhost");
        vm.systemTrust.set(true);
        CompletableFuture<UpstreamCheck> first = new CompletableFuture<>();
        tools.nextTest = first;
        vm.testUpstream();
        assertEquals(ProfileEditorViewModel.TestState.RUNNING, vm.testStateProperty().get());
        CompletableFuture<UpstreamCheck> second = new CompletableFuture<>();
        tools.nextTest = second;
        vm.testUpstream();
        second.complete(new UpstreamCheck(true, "TLSv1.3", "TLS_AES_128_GCM_SHA256", List.of(), null, null, null, null));
        first.complete(UpstreamCheck.failed("UNTRUSTED", "stale", null, null));
        assertEquals(ProfileEditorViewModel.TestState.DONE, vm.testStateProperty().get());
        assertTrue(vm.testResultProperty().get().ok(), "the older run's late answer is ignored");
    }

    @Test
    void testUpstreamWithBrokenUpstreamFieldsPointsAtThemInsteadOfConnecting() {
        StandInProfileTools tools = new StandInProfileTools(dir);
        ProfileEditorViewModel vm = newEditor(tools);
        vm.testUpstream();
        assertEquals(0, tools.testsRun);
        assertFalse(vm.testResultProperty().get().ok());
        assertEquals("Enter the server's host name or address.", vm.messageFor(ProfileField.UPSTREAM_HOST).get());
    }

    private static void runAll(List<Runnable> queue) {
        while (!queue.isEmpty()) queue.remove(0).run();
    }
}
