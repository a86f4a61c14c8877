package dev.verifull.metrics;

/** The answer of a health endpoint: up or not, and why in a line (the response body). */
public record Health(boolean ok, String reason) {
    public static Health ok(String reason) {
        return new Health(true, reason);
    }

    public static Health notOk(String reason) {
        return new Health(false, reason);
    }
}
