package dev.verifull.profile;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

/**
 * The saved profiles: {@code {"schema":1,"profiles":[...]}} in one JSON file.
 *
 * <p>Saving writes a temporary file next to the real one, forces it to disk and moves it over the
 * old file in one step, so a crash leaves either the old or the new version, never half of one.
 * The version being replaced is kept as {@code profiles.json.bak}. A file this version cannot use
 * (damaged, or written by a newer Verifull) is moved aside under a dated name and reported; it is
 * never overwritten. Thread-safe; every method does file I/O, so keep it off the UI thread.
 */
public final class ProfileStore {
    /** The schema this version writes and the newest it reads. */
    public static final int SCHEMA = 1;

    private static final DateTimeFormatter ASIDE_STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss");
    private static final Pattern WRONG_TYPE = Pattern.compile("Expected (\\w+) but was (\\w+) at path \\$\\.([\\w.\\[\\]]+)");
    private static final Pattern GSON_LOCATION = Pattern.compile("\\s*at line (\\d+) column (\\d+)(?: path \\S*)?");

    private final Path file;
    private final Clock clock;
    private final Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * What {@link #load()} found.
     *
     * @param problem  what was wrong with the file, in words for the user; {@code null} if nothing
     * @param setAside where the unusable file was moved, or {@code null}
     */
    public record LoadResult(List<Profile> profiles, String problem, Path setAside) {
        public LoadResult {
            profiles = List.copyOf(profiles);
        }
    }

    private ProfileStore(Path file, Clock clock) {
        this.file = Objects.requireNonNull(file, "file");
        this.clock = clock;
    }

    /** A store for this file (usually {@link AppDataDir#profiles}); nothing is read yet. */
    public static ProfileStore open(Path file) {
        return new ProfileStore(file, Clock.systemDefaultZone());
    }

    static ProfileStore open(Path file, Clock clock) {
        return new ProfileStore(file, clock);
    }

    public Path file() {
        return file;
    }

    public Path backupFile() {
        return file.resolveSibling(file.getFileName() + ".bak");
    }

    /**
     * The saved profiles; a missing file means none yet. Never throws: whatever goes wrong ends up
     * in {@link LoadResult#problem()}, and a file that could not be used stays untouched or aside.
     */
    public synchronized LoadResult load() {
        String name = file.getFileName().toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new LoadResult(List.of(), null, null);
        } catch (IOException e) {
            return new LoadResult(List.of(), name + " could not be read (" + ioReason(e)
                    + "); Verifull started with no profiles and will not change the file", null);
        }
        Parsed parsed = parse(bytes);
        if (parsed.profiles != null) return new LoadResult(parsed.profiles, null, null);
        try {
            Path aside = setAside(parsed.asideLabel);
            return new LoadResult(List.of(), name + " " + parsed.problem + "; it was kept as " + aside.getFileName()
                    + " and Verifull started with no profiles", aside);
        } catch (IOException e) {
            return new LoadResult(List.of(), name + " " + parsed.problem + "; moving it aside failed (" + ioReason(e)
                    + "), so Verifull started with no profiles and will not overwrite it", null);
        }
    }

    /**
     * Replaces the file with these profiles. The file on disk becomes {@code .bak} first; if that
     * file is one this version cannot read, it is moved aside instead, like {@link #load()} does.
     */
    public synchronized void save(List<Profile> profiles) throws IOException {
        JsonObject root = new JsonObject();
        root.addProperty("schema", SCHEMA);
        root.add("profiles", gson.toJsonTree(List.copyOf(profiles)));
        byte[] bytes = (gson.toJson(root) + "\n").getBytes(StandardCharsets.UTF_8);

        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = writeSynced(dir, bytes);
        try {
            keepPreviousVersion(dir);
            moveAtomically(temp, file);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory(dir);
    }

    private void keepPreviousVersion(Path dir) throws IOException {
        byte[] current;
        try {
            current = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return;
        }
        Parsed parsed = parse(current);
        if (parsed.profiles == null) {
            setAside(parsed.asideLabel); // edited or replaced since load: do not turn it into the .bak
            return;
        }
        Path temp = writeSynced(dir, current);
        try {
            moveAtomically(temp, backupFile());
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    // ---- parsing ----

    /** Either profiles, or a problem text and the label for the set-aside file name. */
    private record Parsed(List<Profile> profiles, String problem, String asideLabel) {
        static Parsed ok(List<Profile> profiles) {
            return new Parsed(profiles, null, null);
        }

        static Parsed corrupt(String why) {
            return new Parsed(null, "could not be read (" + why + ")", "corrupt");
        }
    }

    private Parsed parse(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return Parsed.corrupt("it is not UTF-8 text");
        }
        if (text.isBlank()) return Parsed.corrupt("it is empty");
        JsonElement root;
        try {
            root = parseStrict(text);
        } catch (IOException | JsonParseException e) {
            return Parsed.corrupt(describe(e));
        }
        if (!root.isJsonObject()) return Parsed.corrupt("it is not a JSON object");
        JsonObject object = root.getAsJsonObject();
        Integer schema = schemaOf(object.get("schema"));
        if (schema == null) return Parsed.corrupt("it has no valid \"schema\" number");
        if (schema > SCHEMA) {
            return new Parsed(null, "was written by a newer version of Verifull (schema " + schema
                    + "; this version reads schema " + SCHEMA + " and older)", "schema-" + schema);
        }
        if (schema < 1) return Parsed.corrupt("unknown schema " + schema);
        JsonElement list = object.get("profiles");
        if (list == null || list.isJsonNull()) return Parsed.ok(List.of());
        if (!list.isJsonArray()) return Parsed.corrupt("\"profiles\" is not a list");
        try {
            return Parsed.ok(profiles(list.getAsJsonArray()));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            return Parsed.corrupt(describe(e));
        }
    }

    private List<Profile> profiles(JsonArray array) {
        List<Profile> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement element = array.get(i);
            if (element.isJsonNull()) continue;
            if (!element.isJsonObject()) throw new Unusable("profile " + (i + 1) + " is not a JSON object");
            Profile p;
            try {
                p = gson.fromJson(element, Profile.class);
            } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
                throw new Unusable("profile " + (i + 1) + ": " + describe(e));
            }
            out.add(p.name() == null ? p.withName("") : p); // a nameless profile is shown and fixed, not dropped
        }
        return out;
    }

    /** Strict JSON (no comments, single quotes or trailing garbage), unlike Gson's lenient default. */
    private static JsonElement parseStrict(String text) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(text));
        reader.setStrictness(Strictness.STRICT); // parseReader keeps STRICT (it only relaxes the legacy default)
        JsonElement element = JsonParser.parseReader(reader);
        try {
            if (reader.peek() == JsonToken.END_DOCUMENT) return element;
        } catch (MalformedJsonException e) {
            // a second value after the first: reported below
        }
        throw new Unusable(at(reader) + "unexpected text after the end of the JSON document");
    }

    /** {@code "line 3: "} from the reader's position. */
    private static String at(JsonReader reader) {
        Matcher m = GSON_LOCATION.matcher(reader.toString());
        return m.find() ? "line " + m.group(1) + ": " : "";
    }

    private static Integer schemaOf(JsonElement schema) {
        if (!(schema instanceof JsonPrimitive p) || !p.isNumber()) return null;
        try {
            return p.getAsBigDecimal().intValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** Gson's "Unterminated object at line 3 column 5 path $.x\nSee https://..." as "line 3: unterminated object at column 5". */
    private static String describe(Exception e) {
        if (e instanceof Unusable) return e.getMessage();
        Throwable t = e;
        while (t instanceof JsonParseException && t.getCause() != null) t = t.getCause(); // Gson wraps the reader's exception
        String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int see = message.indexOf("\nSee ");
        if (see >= 0) message = message.substring(0, see);
        if (t instanceof NumberFormatException) {
            message = "expected a number, found " + message.replaceFirst("^For input string: ", "");
        }
        Matcher wrongType = WRONG_TYPE.matcher(message);
        if (wrongType.find()) {
            message = "\"" + wrongType.group(3) + "\" should be " + token(wrongType.group(1)) + ", not " + token(wrongType.group(2));
        }
        message = message.replaceAll("Use JsonReader\\.\\S+ to accept malformed JSON", "not valid JSON")
                .replaceFirst("^End of input", "the file ends too early");
        Matcher where = GSON_LOCATION.matcher(message);
        String line = "";
        if (where.find()) {
            line = "line " + where.group(1) + ": ";
            message = message.substring(0, where.start()) + " at column " + where.group(2) + message.substring(where.end());
        }
        message = message.strip();
        if (!message.isEmpty()) message = Character.toLowerCase(message.charAt(0)) + message.substring(1);
        return line + message;
    }

    private static String token(String gsonToken) {
        return switch (gsonToken) {
            case "BEGIN_ARRAY" -> "a list";
            case "BEGIN_OBJECT" -> "an object";
            case "STRING" -> "text";
            case "NUMBER" -> "a number";
            case "BOOLEAN" -> "true or false";
            case "NULL" -> "null";
            default -> gsonToken.toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A reason already worded for the user. */
    private static final class Unusable extends JsonParseException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }

    // ---- files ----

    private static String ioReason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Moves the unusable file to e.g. {@code profiles.json.corrupt-2026-11-28T10-15-00}. */
    private Path setAside(String label) throws IOException {
        String base = file.getFileName() + "." + label + "-" + LocalDateTime.now(clock).format(ASIDE_STAMP);
        Path target = file.resolveSibling(base);
        for (int n = 2; Files.exists(target); n++) target = file.resolveSibling(base + "-" + n);
        Files.move(file, target);
        return target;
    }

    private static Path writeSynced(Path dir, byte[] bytes) throws IOException {
        Path temp = Files.createTempFile(dir, ".profiles-", ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) ch.write(buffer);
            ch.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return temp;
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable on POSIX; directories cannot be opened this way on Windows. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: the file itself is already on disk
        }
    }
}
