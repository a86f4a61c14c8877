package dev.verifull.tailscale;

import java.nio.charset.StandardCharsets;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/** A complete LocalAPI answer: status code and body. */
record LocalApiResponse(int status, byte[] body) {

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * The error text of a non-2xx answer. tailscaled sends Go's {@code http.Error} plain text
     * ending in a newline; some handlers send {@code {"Error": "..."}}. Accept both.
     */
    String errorText() {
        String text = text().strip();
        if (text.startsWith("{")) {
            try {
                JsonElement e = JsonParser.parseString(text);
                if (e.isJsonObject() && e.getAsJsonObject().has("Error")
                        && e.getAsJsonObject().get("Error").isJsonPrimitive()) {
                    return e.getAsJsonObject().get("Error").getAsString();
                }
            } catch (RuntimeException notJson) {
                // fall through: show the text as it is
            }
        }
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
