package dev.verifull.tls;

/**
 * A TLS setting that cannot be used (missing file, unreadable key, ...). The message is meant for
 * the person who configured it: it names the file or setting and says what is wrong.
 */
public class TlsConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }

    public TlsConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
