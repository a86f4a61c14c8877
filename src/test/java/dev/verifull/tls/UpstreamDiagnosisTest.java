package dev.verifull.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.verifull.tls.UpstreamDiagnosis.Kind;
import org.junit.jupiter.api.Test;

/** The editor's sentence for a diagnosis: capitalized, with a full stop unless the words end as someone else's. */
class UpstreamDiagnosisTest {

    @Test
    void ownWordsBecomeASentence() {
        assertEquals("Cannot reach the upstream server db:5432 (connection refused).",
                new UpstreamDiagnosis(Kind.UNREACHABLE, "cannot reach the upstream server db:5432 (connection refused)", null, null).sentence());
    }

    @Test
    void wordsOfTheVerificationEndAsTheyDo() {
        // The server's words before TLS are never quoted (CVE-2024-10977), so its error is a sentence of ours.
        assertEquals("The upstream server db:5432 answered the TLS request with an error.",
                new UpstreamDiagnosis(Kind.SERVER_ERROR, "the upstream server db:5432 answered the TLS request with an error",
                        null, null, "XX000: go away").sentence());
        assertEquals("Certificate expired: The server's certificate (CN=db) expired on 2020-01-01 00:00:00 UTC.",
                new UpstreamDiagnosis(Kind.EXPIRED, "certificate expired: The server's certificate (CN=db) expired on 2020-01-01 00:00:00 UTC.",
                        null, null).sentence());
    }

    @Test
    void settingsProblemsAreSentencesAlready() {
        assertEquals("CA file /x/ca.pem does not exist.",
                new UpstreamDiagnosis(Kind.CONFIGURATION, "CA file /x/ca.pem does not exist.", null, null).sentence());
    }
}
