package dev.verifull.tailnet;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/**
 * The profile names an app capability grants. Each matching grant in the tailnet policy file
 * adds one value to the capability's list, and the names of all of them are merged, so two grants
 * {@code {"profiles": ["alpha"]}} and {@code {"profiles": ["beta"]}} allow both profiles.
 * Accepted value shapes: {@code {"profiles": ["a", "b"]}}, {@code {"profiles": "a"}}, a bare
 * string {@code "a"}, or an array of strings. {@code "*"} stands for every profile. Anything else
 * grants nothing (fail closed).
 */
final class CapabilityProfiles {
    static final String ALL = "*";
    private static final String FIELD = "profiles";

    private CapabilityProfiles() {}

    /** @param values the capability's values as JSON texts, as {@code Identity.capability(name)} gives them */
    static Set<String> names(Collection<String> values) {
        Set<String> names = new LinkedHashSet<>();
        for (String value : values) {
            JsonElement e;
            try {
                e = JsonParser.parseString(value);
            } catch (RuntimeException notJson) {
                continue;
            }
            if (e.isJsonObject()) e = e.getAsJsonObject().get(FIELD);
            addStrings(e, names);
        }
        return names;
    }

    private static void addStrings(JsonElement e, Set<String> names) {
        if (e == null) return;
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
            String name = e.getAsString().strip();
            if (!name.isEmpty()) names.add(name);
        } else if (e.isJsonArray()) {
            for (JsonElement item : e.getAsJsonArray()) {
                if (item.isJsonPrimitive() && item.getAsJsonPrimitive().isString()) addStrings(item, names);
            }
        }
    }

    static boolean allows(Set<String> names, String profile) {
        return names.contains(ALL) || names.contains(profile);
    }
}
