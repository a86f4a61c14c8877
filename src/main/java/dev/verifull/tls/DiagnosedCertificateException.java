package dev.verifull.tls;

import java.security.cert.CertificateException;

/** A certificate rejection that already knows why, so the explanation travels with the failure. */
final class DiagnosedCertificateException extends CertificateException {
    private static final long serialVersionUID = 1L;

    private final transient TlsFailure failure;

    DiagnosedCertificateException(TlsFailure failure, Throwable rejection) {
        super(failure.message(), rejection);
        this.failure = failure;
    }

    TlsFailure failure() {
        return failure;
    }
}
