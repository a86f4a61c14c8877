package dev.verifull.app.profiles;

import java.time.Instant;
import java.util.List;

/** One certificate of a CA or client certificate file, as the editor lists it. */
public record CertificateFacts(String subject, String issuer, Instant notBefore, Instant notAfter, String sha256,
                               boolean ca, List<String> warnings) {
    public CertificateFacts {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
