package dev.verifull.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class ExpositionTest {
    /** A CA subject is free text: a quote, backslash or line break in it must not end the value or start a forged sample. */
    @Test
    void labelValuesCannotBreakOutOfTheirQuotes() {
        String subject = "CN=evil\",role=\"ca\"} 1\nverifull_upstream_verified 1\\";
        Exposition out = new Exposition();
        out.family("verifull_certificate_expiry_days", Exposition.Type.GAUGE, "days");
        out.sample("verifull_certificate_expiry_days", 12.5, "role", "ca", "subject", subject);
        out.family("verifull_upstream_verified", Exposition.Type.GAUGE, "up");
        out.sample("verifull_upstream_verified", 0);

        PrometheusText parsed = PrometheusText.parse(out.toString());
        assertEquals(1, parsed.samples("verifull_certificate_expiry_days").size());
        assertEquals(subject, parsed.samples("verifull_certificate_expiry_days").get(0).labels().get("subject"));
        assertEquals(12.5, parsed.value("verifull_certificate_expiry_days", "role", "ca"));
        assertEquals(0, parsed.value("verifull_upstream_verified"), "the forged sample is not there");
        assertFalse(out.toString().contains("\nverifull_upstream_verified 1"));
    }

    @Test
    void numbersAreWrittenAsTheFormatWantsThem() {
        assertEquals("3", Exposition.number(3));
        assertEquals("0.25", Exposition.number(0.25));
        assertEquals("+Inf", Exposition.number(Double.POSITIVE_INFINITY));
        assertEquals("-19.5", Exposition.number(-19.5));
    }
}
