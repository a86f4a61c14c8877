package dev.verifull.profile;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * The {@code profiles.json} format, {@code {"schema":1,"profiles":[...]}}: writing it, and reading
 * it strictly with a reason a person can act on when it cannot be used. Records are mapped by Gson
 * through {@link Profile}'s constructor, so missing fields get its defaults; unknown fields are
 * ignored.
 */
final class ProfilesJson {
    static final int SCHEMA = 1;

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private static final Pattern WRONG_TYPE = Pattern.compile("Expected (\\w+) but was (\\w+) at path \\$\\.([\\w.\\[\\]]+)");
    private static final Pattern GSON_LOCATION = Pattern.compile("\\s*at line (\\d+) column (\\d+)(?: path \\S*)?");

    private ProfilesJson() {}

    /** Pretty-printed UTF-8 with a final newline. */
    static byte[] write(List<Profile> profiles) {
        JsonObject root = new JsonObject();
        root.addProperty("schema", SCHEMA);
        root.add("profiles", GSON.toJsonTree(List.copyOf(profiles)));
        return (GSON.toJson(root) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Either profiles, or a problem text and the label for the set-aside file name. */
    record Parsed(List<Profile> profiles, String problem, String asideLabel) {
        static Parsed ok(List<Profile> profiles) {
            return new Parsed(profiles, null, null);
        }

        static Parsed corrupt(String why) {
            return new Parsed(null, "could not be read (" + why + ")", "corrupt");
        }
    }

    static Parsed parse(byte[] bytes) {
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

    private static List<Profile> profiles(JsonArray array) {
        List<Profile> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonElement element = array.get(i);
            if (element.isJsonNull()) continue;
            if (!element.isJsonObject()) throw new Unusable("profile " + (i + 1) + " is not a JSON object");
            Profile p;
            try {
                p = GSON.fromJson(element, Profile.class);
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
            default -> gsonToken.toLowerCase(Locale.ROOT);
        };
    }

    /** A reason already worded for the user. */
    private static final class Unusable extends JsonParseException {
        private static final long serialVersionUID = 1L;

        Unusable(String message) {
            super(message);
        }
    }
}
