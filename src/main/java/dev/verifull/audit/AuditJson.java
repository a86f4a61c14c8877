package dev.verifull.audit;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

/** The one-line JSON form of an {@link AuditEvent}, both ways. */
final class AuditJson {
    private AuditJson() {}

    // No HTML escaping: '<' or '=' in a message should read as itself. Gson still escapes quotes,
    // backslashes, control characters and U+2028/U+2029, so a record never spans lines.
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();
    private static final TypeAdapter<JsonElement> ELEMENT = GSON.getAdapter(JsonElement.class);

    // Always three fraction digits (Instant.toString drops zero millis), always 'Z'.
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** The record as one line of JSON, without the trailing newline. */
    static String toLine(AuditEvent event) {
        JsonObject json = new JsonObject(); // keeps insertion order
        json.addProperty("schema", event.schema());
        json.addProperty("time", TIME.format(event.time()));
        json.addProperty("event", event.event());
        json.addProperty("session", event.sessionId());
        json.addProperty("engine", event.engine());
        event.fields().forEach((key, value) -> json.add(key, toJson(value)));
        return GSON.toJson(json);
    }

    private static JsonElement toJson(Object value) {
        if (value instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (value instanceof Number n) {
            return new JsonPrimitive(n);
        }
        if (value instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        JsonArray array = new JsonArray();
        for (Object element : (List<?>) value) {
            array.add((String) element);
        }
        return array;
    }

    /**
     * Parses one line strictly.
     *
     * @throws IllegalArgumentException with a short reason when the line is not a whole record
     */
    static AuditEvent parse(String line) {
        JsonElement element;
        try {
            JsonReader reader = new JsonReader(new StringReader(line));
            reader.setStrictness(Strictness.STRICT);
            element = ELEMENT.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IllegalArgumentException("text after the JSON object");
            }
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new IllegalArgumentException("not valid JSON (torn or damaged line)");
        }
        if (element == null || !element.isJsonObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonObject json = element.getAsJsonObject();
        int schema = requiredInt(json, "schema");
        Instant time;
        try {
            time = Instant.parse(requiredString(json, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("time is not an ISO-8601 instant");
        }
        String event = requiredString(json, "event");
        String session = requiredString(json, "session");
        String engine = requiredString(json, "engine");
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : json.entrySet()) {
            if (!AuditEvent.HEADER_KEYS.contains(entry.getKey())) {
                Object value = fromJson(entry.getValue());
                if (value != null) {
                    fields.put(entry.getKey(), value);
                }
            }
        }
        return new AuditEvent(schema, time, event, session, engine, fields);
    }

    private static String requiredString(JsonObject json, String key) {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw new IllegalArgumentException("missing or non-string \"" + key + "\"");
        }
        return value.getAsString();
    }

    private static int requiredInt(JsonObject json, String key) {
        JsonElement value = json.get(key);
        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException("missing or non-numeric \"" + key + "\"");
        }
        try {
            return Integer.parseInt(value.getAsString());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + key + "\" is not an integer");
        }
    }

    /** Later schema versions may nest values; those are kept as their JSON text rather than failing the line. */
    private static Object fromJson(JsonElement value) {
        if (value.isJsonNull()) {
            return null;
        }
        if (value.isJsonArray()) {
            List<String> strings = new ArrayList<>();
            for (JsonElement element : value.getAsJsonArray()) {
                if (element.isJsonPrimitive()) {
                    strings.add(element.getAsString());
                } else if (!element.isJsonNull()) {
                    strings.add(element.toString());
                }
            }
            return strings;
        }
        if (value.isJsonObject()) {
            return value.toString();
        }
        JsonPrimitive primitive = value.getAsJsonPrimitive();
        if (primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        if (primitive.isNumber()) {
            return number(primitive.getAsString());
        }
        return primitive.getAsString();
    }

    private static Number number(String text) {
        boolean integral = text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0;
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException tooLarge) {
                // falls through to double
            }
        }
        return Double.parseDouble(text);
    }
}
