package dev.verifull.app.profiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.FakeEngineControl;
import dev.verifull.app.MemoryProfileStorage;
import dev.verifull.manager.EngineStatus;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;

class ProfileLibraryTest {
    private final Executor inline = Runnable::run;
    private final MemoryProfileStorage storage = new MemoryProfileStorage();
    private final FakeEngineControl engines = new FakeEngineControl();
    private final ProfileLibrary library = new ProfileLibrary(storage, engines, inline, inline);

    private static Profile profile(String name, int port, boolean startWithApp) {
        return new Profile(name, "db.example.com", 5432, null, List.of(), true, null, null, false, false, port,
                Profile.Binding.LOCAL_ONLY, List.of(), List.of(), null, "postgres", null, startWithApp, "jdk", 200, 0, 0);
    }

    @Test
    void loadingStartsTheProfilesMarkedStartWithTheApp() {
        storage.toLoad = new ProfileStore.LoadResult(List.of(profile("a", 6432, true), profile("b", 6433, false)), null, null);
        library.load().join();
        assertEquals(List.of("a", "b"), library.names());
        assertEquals(List.of("start a:6432"), engines.calls);
        assertEquals(EngineStatus.RUNNING, library.find("a").orElseThrow().status().status());
        assertEquals(1, library.activeCount());
        assertNull(library.problemProperty().get());
    }

    @Test
    void aCorruptFileIsReportedSetAsideAndNotOverwritten(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("profiles.json");
        Files.writeString(file, "{ \"schema\": 1, \"profiles\": [ {\"name\": ");
        ProfileLibrary real = new ProfileLibrary(ProfileStorage.of(ProfileStore.open(file)), engines, inline, inline);
        real.load().join();
        String problem = real.problemProperty().get();
        assertTrue(problem.startsWith("Profiles.json "), problem);
        assertTrue(problem.contains("Verifull started with no profiles"), problem);
        assertTrue(real.items().isEmpty());
        try (var aside = Files.list(dir)) {
            assertTrue(aside.anyMatch(p -> !p.equals(file) && p.getFileName().toString().startsWith("profiles.json")),
                    "the broken file is kept");
        }
    }

    @Test
    void savingANewProfileWritesTheWholeList() {
        library.load().join();
        library.save(profile("a", 6432, false), null).join();
        library.save(profile("b", 6433, false), null).join();
        assertEquals(List.of("a", "b"), storage.last().stream().map(Profile::name).toList());
    }

    @Test
    void editingARunningProfileRestartsItsEngineAndARenameRemovesTheOldOne() {
        storage.toLoad = new ProfileStore.LoadResult(List.of(profile("a", 6432, true)), null, null);
        library.load().join();
        engines.calls.clear();
        library.save(profile("a", 6440, true), "a").join();
        assertEquals(List.of("start a:6440"), engines.calls);
        engines.calls.clear();
        library.save(profile("renamed", 6440, true), "a").join();
        assertEquals(List.of("remove a", "start renamed:6440"), engines.calls);
        assertEquals(List.of("renamed"), storage.last().stream().map(Profile::name).toList());
    }

    @Test
    void deletingStopsAndForgetsTheEngine() {
        storage.toLoad = new ProfileStore.LoadResult(List.of(profile("a", 6432, true)), null, null);
        library.load().join();
        library.delete("a").join();
        assertTrue(engines.calls.contains("remove a"));
        assertTrue(storage.last().isEmpty());
    }

    @Test
    void aFailedWriteShowsInTheBanner() {
        library.load().join();
        storage.failSave = new IOException("disk full");
        library.save(profile("a", 6432, false), null).exceptionally(e -> null).join();
        assertEquals("Your profiles could not be saved: disk full", library.problemProperty().get());
    }

    @Test
    void toggleStartsAStoppedProfileAndStopsARunningOne() {
        library.load().join();
        library.save(profile("a", 6432, false), null).join();
        library.toggle("a");
        assertEquals(EngineStatus.RUNNING, library.find("a").orElseThrow().status().status());
        long before = library.revisionProperty().get();
        library.toggle("a");
        assertEquals(EngineStatus.STOPPED, library.find("a").orElseThrow().status().status());
        assertTrue(library.revisionProperty().get() > before);
    }
}
