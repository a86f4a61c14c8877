package dev.verifull.profile;

import static dev.verifull.profile.ProfileBuilder.profile;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class ProfileStoreTest {
    private static final Clock CLOCK = Clock.fixed(LocalDateTime.of(2026, 11, 28, 10, 15, 0).toInstant(ZoneOffset.UTC), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private Path file() {
        return AppDataDir.profiles(dir);
    }

    private ProfileStore store() {
        return ProfileStore.open(file(), CLOCK);
    }

    private static Profile everyFieldSet() {
        return new Profile("prod eu", "db.example.com", 5433, "db.internal", List.of("/a/ca.pem", "/b/ca2.pem"), false,
                "/c/client.pem", "/c/client.key", true, true, 6500, Profile.Binding.LOCAL_ONLY,
                List.of("alice@example.com", "*@corp.example"), List.of("tag:ci"), "example.com/cap/verifull",
                "app", "alice", true, "bc", 50, 2, 50, true);
    }

    @Test
    void aMissingFileMeansNoProfilesAndNoProblem() {
        ProfileStore.LoadResult r = store().load();
        assertEquals(List.of(), r.profiles());
        assertNull(r.problem());
        assertNull(r.setAside());
    }

    @Test
    void savedProfilesComeBackWithEveryField() throws IOException {
        List<Profile> profiles = List.of(everyFieldSet(), Profile.blank("staging", 6433));
        store().save(profiles);
        ProfileStore.LoadResult r = ProfileStore.open(file()).load();
        assertNull(r.problem());
        assertEquals(profiles, r.profiles());
    }

    @Test
    void theFileIsPrettyPrintedJsonWithSchemaOne() throws IOException {
        store().save(List.of(everyFieldSet()));
        String text = Files.readString(file());
        assertTrue(text.contains("\n  \"profiles\": ["), text);
        JsonObject root = JsonParser.parseString(text).getAsJsonObject();
        assertEquals(1, root.get("schema").getAsInt());
        JsonObject p = root.getAsJsonArray("profiles").get(0).getAsJsonObject();
        assertEquals("prod eu", p.get("name").getAsString());
        assertEquals("LOCAL_ONLY", p.get("binding").getAsString());
        assertEquals("/a/ca.pem", p.getAsJsonArray("caFiles").get(0).getAsString());
    }

    @Test
    void theVersionBeingReplacedIsKeptAsBak() throws IOException {
        ProfileStore s = store();
        s.save(List.of(Profile.blank("one", 6432)));
        byte[] first = Files.readAllBytes(file());
        assertFalse(Files.exists(s.backupFile()), "nothing to back up on the first save");
        s.save(List.of(Profile.blank("two", 6432)));
        assertArrayEquals(first, Files.readAllBytes(s.backupFile()));
        assertEquals("two", s.load().profiles().get(0).name());
        assertEquals(List.of("profiles.json", "profiles.json.bak"), listing(), "no temporary files are left behind");
    }

    @Test
    void aCorruptFileIsSetAsideAndReportedWithItsLine() throws IOException {
        String broken = "{\"schema\": 1,\n  \"profiles\": [\n    {\"name\": \"prod\",, }\n  ]\n}\n";
        Files.writeString(file(), broken);
        ProfileStore.LoadResult r = store().load();

        assertEquals(List.of(), r.profiles());
        assertTrue(r.problem().startsWith("profiles.json could not be read (line 3: "), r.problem());
        assertTrue(r.problem().endsWith("; it was kept as profiles.json.corrupt-2026-11-28T10-15-00"
                + " and Verifull started with no profiles"), r.problem());
        assertEquals(dir.resolve("profiles.json.corrupt-2026-11-28T10-15-00"), r.setAside());
        assertEquals(broken, Files.readString(r.setAside()));
        assertFalse(Files.exists(file()));
    }

    @Test
    void savingAfterACorruptFileWritesAFreshOneAndLeavesTheCorruptCopyAlone() throws IOException {
        Files.writeString(file(), "not json at all");
        ProfileStore s = store();
        Path aside = s.load().setAside();
        s.save(List.of(Profile.blank("new", 6432)));
        assertEquals("not json at all", Files.readString(aside));
        assertFalse(Files.exists(s.backupFile()), "the corrupt file must not become the backup");
        assertEquals("new", s.load().profiles().get(0).name());
    }

    @Test
    void aFileFromANewerVersionIsSetAsideNotOverwritten() throws IOException {
        String newer = "{\"schema\": 2, \"profiles\": [{\"name\": \"x\", \"shinyNewThing\": {}}]}";
        Files.writeString(file(), newer);
        ProfileStore s = store();
        ProfileStore.LoadResult r = s.load();
        assertEquals(List.of(), r.profiles());
        assertTrue(r.problem().contains("newer version of Verifull (schema 2; this version reads schema 1"), r.problem());
        assertTrue(r.problem().contains("it was kept as profiles.json.schema-2-2026-11-28T10-15-00"), r.problem());
        s.save(List.of());
        assertEquals(newer, Files.readString(r.setAside()));
    }

    @Test
    void aFileBrokenBetweenLoadAndSaveIsSetAsideRatherThanBackedUp() throws IOException {
        ProfileStore s = store();
        s.save(List.of(Profile.blank("one", 6432)));
        s.save(List.of(Profile.blank("two", 6432)));
        byte[] goodBackup = Files.readAllBytes(s.backupFile());
        Files.writeString(file(), "{ half written by an editor");
        s.save(List.of(Profile.blank("three", 6432)));
        assertArrayEquals(goodBackup, Files.readAllBytes(s.backupFile()));
        assertEquals("{ half written by an editor",
                Files.readString(dir.resolve("profiles.json.corrupt-2026-11-28T10-15-00")));
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingFieldsGetDefaults() throws IOException {
        Files.writeString(file(), "{\"schema\": 1, \"theme\": \"dark\", \"profiles\": ["
                + "{\"name\": \"old\", \"upstreamHost\": \"db\", \"colour\": \"red\", \"binding\": \"SOMEWHERE_NEW\"},"
                + "null,"
                + "{\"upstreamHost\": \"nameless\"}]}");
        ProfileStore.LoadResult r = store().load();
        assertNull(r.problem());
        Profile p = r.profiles().get(0);
        assertEquals("old", p.name());
        assertEquals(5432, p.upstreamPort());
        assertEquals(List.of(), p.caFiles());
        assertEquals(Profile.Binding.TAILNET, p.binding());
        assertEquals("auto", p.tlsProvider());
        assertEquals(200, p.maxSessions());
        assertEquals(2, r.profiles().size(), "null entries are skipped");
        assertEquals("", r.profiles().get(1).name(), "a nameless profile is kept, to be fixed in the editor");
    }

    @Test
    void aFileWrittenBeforeWarmUpstreamsAndLowLatencyExistedReadsAsOff() throws IOException {
        Files.writeString(file(), "{\"schema\": 1, \"profiles\": [{\"name\": \"prod\", \"upstreamHost\": \"db.example.com\","
                + " \"systemTrust\": true, \"listenPort\": 6432, \"tlsProvider\": \"jdk\", \"maxSessions\": 50}]}");
        ProfileStore s = store();
        Profile p = s.load().profiles().get(0);
        assertEquals(0, p.warmUpstreams());
        assertEquals(0, p.busyPollMicros());
        assertFalse(p.allowThisMachine(), "connections from this machine stay out unless the file says so");
        assertEquals(50, p.maxSessions());

        s.save(List.of(p));
        JsonObject root = JsonParser.parseString(Files.readString(file())).getAsJsonObject();
        assertEquals(1, root.get("schema").getAsInt(), "an additive field keeps schema 1");
        assertEquals(0, root.getAsJsonArray("profiles").get(0).getAsJsonObject().get("warmUpstreams").getAsInt());
    }

    @Test
    void aFileWrittenBeforeClientTlsAndImportOriginsReadsAsNoTlsAndNoOrigins() throws IOException {
        Files.writeString(file(), "{\"schema\": 1, \"profiles\": [{\"name\": \"prod\", \"upstreamHost\": \"db.example.com\","
                + " \"caFiles\": [\"/app/ca/rds-3f9a61c2.pem\"], \"listenPort\": 6432}]}");
        Profile p = store().load().profiles().get(0);
        assertEquals(false, p.offerClientTls());
        assertEquals(Map.of(), p.importedFrom());
        assertEquals("/app/ca/rds-3f9a61c2.pem", p.describeFile("/app/ca/rds-3f9a61c2.pem"), "no origin known: the copy");
    }

    @Test
    void aMetricsPortIsSavedAndReadBackAndOlderFilesHaveNone() throws IOException {
        Files.writeString(file(), "{\"schema\": 1, \"profiles\": [{\"name\": \"prod\", \"upstreamHost\": \"db.example.com\","
                + " \"systemTrust\": true, \"listenPort\": 6432}]}");
        assertEquals(0, store().load().profiles().get(0).metricsPort(), "off");
        Profile p = ProfileBuilder.profile().metricsPort(9187).build();
        store().save(List.of(p));
        JsonObject saved = JsonParser.parseString(Files.readString(file())).getAsJsonObject().getAsJsonArray("profiles").get(0).getAsJsonObject();
        assertEquals(9187, saved.get("metricsPort").getAsInt());
        assertEquals(p, store().load().profiles().get(0));
    }

    @Test
    void clientTlsAndWhereImportedFilesCameFromAreSavedAndReadBack() throws IOException {
        Profile p = ProfileBuilder.profile().ca(java.nio.file.Path.of("/app/ca/rds-3f9a61c2.pem")).offerClientTls(true)
                .importedFrom("/app/ca/rds-3f9a61c2.pem", "/home/me/Downloads/rds.pem").build();
        store().save(List.of(p));
        JsonObject saved = JsonParser.parseString(Files.readString(file())).getAsJsonObject().getAsJsonArray("profiles").get(0).getAsJsonObject();
        assertEquals("/home/me/Downloads/rds.pem", saved.getAsJsonObject("importedFrom").get("/app/ca/rds-3f9a61c2.pem").getAsString());
        Profile read = store().load().profiles().get(0);
        assertEquals(p, read);
        assertEquals("/home/me/Downloads/rds.pem (a copy is kept in the app data: /app/ca/rds-3f9a61c2.pem)",
                read.describeFile("/app/ca/rds-3f9a61c2.pem"));
    }

    /** The profile as Verifull read it before warm upstreams: what an older version makes of a newer file. */
    private record ProfileBeforeWarmUpstreams(String name, String upstreamHost, int upstreamPort, String serverName,
                                              List<String> caFiles, boolean systemTrust, String clientCertificateFile,
                                              String clientKeyFile, boolean tls13Only, boolean directTls, int listenPort,
                                              Profile.Binding binding, List<String> allowUsers, List<String> allowTags,
                                              String allowCapability, String defaultDatabase, String defaultUser,
                                              boolean startWithApp, String tlsProvider, int maxSessions) {}

    @Test
    void aFileWithWarmUpstreamsStillReadsInAVersionThatDoesNotKnowThem() throws IOException {
        Profile withWarm = everyFieldSet();
        assertEquals(2, withWarm.warmUpstreams());
        store().save(List.of(withWarm));
        JsonObject root = JsonParser.parseString(Files.readString(file())).getAsJsonObject();
        assertEquals(1, root.get("schema").getAsInt(), "older versions read schema 1, so they do not set the file aside");
        JsonObject saved = root.getAsJsonArray("profiles").get(0).getAsJsonObject();
        assertEquals(2, saved.get("warmUpstreams").getAsInt());

        // Older versions map each profile with Gson, which skips fields it does not know.
        ProfileBeforeWarmUpstreams old = new Gson().fromJson(saved, ProfileBeforeWarmUpstreams.class);
        assertEquals(withWarm.name(), old.name());
        assertEquals(withWarm.upstreamPort(), old.upstreamPort());
        assertEquals(withWarm.caFiles(), old.caFiles());
        assertEquals(withWarm.maxSessions(), old.maxSessions());
        assertEquals(withWarm.tlsProvider(), old.tlsProvider());
    }

    @Test
    void aProfileWithAWrongTypeMakesTheFileCorruptAndSaysWhich() throws IOException {
        Files.writeString(file(), "{\"schema\": 1, \"profiles\": [{\"name\": \"a\"}, {\"name\": \"b\", \"upstreamPort\": \"high\"}]}");
        ProfileStore.LoadResult r = store().load();
        assertTrue(r.problem().contains("(profile 2: "), r.problem());
        assertTrue(Files.exists(r.setAside()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "[]", "{\"profiles\": []}", "{\"schema\": \"1\", \"profiles\": []}",
            "{\"schema\": 1, \"profiles\": {}}", "{\"schema\": 1, \"profiles\": []} trailing",
            "// comment\n{\"schema\": 1, \"profiles\": []}", "{'schema': 1, 'profiles': []}",
            "{\"schema\": 1, \"profiles\": [\"prod\"]}", "{\"schema\": 0, \"profiles\": []}"})
    void whatIsNotAStrictSchemaOneFileIsSetAside(String text) throws IOException {
        Files.writeString(file(), text);
        ProfileStore.LoadResult r = store().load();
        assertTrue(r.problem() != null && r.problem().startsWith("profiles.json could not be read ("), r.problem());
        assertEquals(text, Files.readString(r.setAside()));
    }

    @Test
    void aFileThatIsNotTextIsSetAside() throws IOException {
        Files.write(file(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        assertTrue(store().load().problem().contains("(it is not UTF-8 text)"));
    }

    @Test
    void setAsideNamesNeverCollide() throws IOException {
        Files.writeString(file(), "x");
        Path first = store().load().setAside();
        Files.writeString(file(), "y");
        Path second = store().load().setAside();
        assertEquals("profiles.json.corrupt-2026-11-28T10-15-00-2", second.getFileName().toString());
        assertEquals("x", Files.readString(first));
        assertEquals("y", Files.readString(second));
    }

    @Test
    void anUnreadableFileIsReportedAndLeftInPlace() throws IOException {
        Files.createDirectories(file()); // a folder where the file should be: reading fails, nothing is moved
        ProfileStore.LoadResult r = store().load();
        assertTrue(r.problem().contains("could not be read"), r.problem());
        assertNull(r.setAside());
        assertTrue(Files.isDirectory(file()));
    }

    @Test
    void concurrentSavesLeaveOneCompleteFile() throws Exception {
        ProfileStore s = store();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        s.save(List.of(Profile.blank("t" + thread + "-" + i, 6432), everyFieldSet()));
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        } finally {
            pool.shutdownNow();
        }
        ProfileStore.LoadResult r = ProfileStore.open(file()).load();
        assertNull(r.problem());
        assertEquals(2, r.profiles().size());
        assertEquals(List.of("profiles.json", "profiles.json.bak"), listing());
    }

    @Test
    void theDirectoryIsCreatedOnFirstSave() throws IOException {
        Path nested = dir.resolve("a/b/profiles.json");
        ProfileStore.open(nested).save(List.of(profile().build()));
        assertEquals("prod", ProfileStore.open(nested).load().profiles().get(0).name());
        assertTrue(new String(Files.readAllBytes(nested), StandardCharsets.UTF_8).endsWith("}\n"));
    }

    private List<String> listing() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
