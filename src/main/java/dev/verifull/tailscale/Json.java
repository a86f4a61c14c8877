package dev.verifull.tailscale;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Lenient reads from LocalAPI JSON: every field optional, unknown fields ignored, a field of an
 * unexpected type treated as absent. Fields come and go between tailscaled releases.
 */
final class Json {
    private Json() {}

    static JsonObject parseObject(String text, String operation) throws MalformedAnswerException {
        JsonElement root;
        try {
            root = JsonParser.parseString(text);
        } catch (RuntimeException e) { // JsonSyntaxException, JsonIOException, stack overflow guards
            throw new MalformedAnswerException(operation, "not JSON (" + firstLine(e.getMessage()) + ")", e);
        }
        if (!root.isJsonObject()) throw new MalformedAnswerException(operation, "expected a JSON object, got " + kind(root));
        return root.getAsJsonObject();
    }

    static JsonObject object(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        return e != null && e.isJsonObject() ? e.getAsJsonObject() : null;
    }

    static String string(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : "";
    }

    /** IDs are int64 in Go and some exceed 2^53, so read them as long (Gson reads the digits exactly). */
    static long number(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) return 0;
        try {
            return e.getAsLong();
        } catch (NumberFormatException tooBigOrFractional) {
            return 0;
        }
    }

    static String numberText(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsString() : "";
    }

    static boolean bool(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean() && e.getAsBoolean();
    }

    static List<String> strings(JsonObject o, String name) {
        JsonElement e = o == null ? null : o.get(name);
        List<String> out = new ArrayList<>();
        if (e == null || !e.isJsonArray()) return out;
        for (JsonElement item : e.getAsJsonArray()) {
            if (item.isJsonPrimitive() && item.getAsJsonPrimitive().isString()) out.add(item.getAsString());
        }
        return out;
    }

    private static String kind(JsonElement e) {
        if (e.isJsonNull()) return "null";
        if (e.isJsonArray()) return "an array";
        return "a single value";
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
