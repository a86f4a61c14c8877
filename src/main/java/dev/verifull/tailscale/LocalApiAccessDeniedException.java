package dev.verifull.tailscale;

/** 401 or 403: this process may not make that request (or the Host/token was refused). */
public final class LocalApiAccessDeniedException extends LocalApiHttpException {
    private static final long serialVersionUID = 1L;

    public LocalApiAccessDeniedException(String operation, int status, String reason) {
        super(operation, status, reason, hint(operation));
    }

    // Certificates need more than read access on Linux/macOS; say how to get it.
    private static String hint(String operation) {
        return operation.equals("cert")
                ? " (fetching certificates needs root, the Tailscale operator"
                        + " (sudo tailscale set --operator=$USER) or TS_PERMIT_CERT_UID for this user)"
                : "";
    }
}
