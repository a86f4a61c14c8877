package dev.verifull.tls;

import java.security.cert.CertificateException;

/** A certificate rejection that already knows why, so the explanation travels with the failure. */
final class DiagnosedCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final transient UpstreamDiagnosis diagnosis;

    DiagnosedCertificateException(UpstreamDiagnosis diagnosis, Throwable rejection) {
        super(diagnosis.message(), rejection);
        this.diagnosis = diagnosis;
    }

    UpstreamDiagnosis diagnosis() {
        return diagnosis;
    }
}
