package dev.verifull.tls;

import java.security.Provider;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jsse.provider.BouncyCastleJsseProvider;

/** The TLS implementation behind Netty's {@code SslHandler}. */
public enum TlsProvider {
    /** The JDK's own SunJSSE. */
    JDK("jdk"),
    /** BouncyCastle JSSE, through Netty's JDK engine path with BCJSSE as the SSLContext provider. */
    BOUNCY_CASTLE("bc"),
    /** BoringSSL through netty-tcnative. */
    OPENSSL("openssl");

    private final String id;

    TlsProvider(String id) {
        this.id = id;
    }

    /** The short name used in settings and on the command line: {@code jdk}, {@code bc} or {@code openssl}. */
    public String id() {
        return id;
    }

    public static final String AUTO = "auto";

    private static final dev.verifull.logging.Log LOG = dev.verifull.logging.Log.of(TlsProvider.class);
    private static final AtomicBoolean FALLBACK_REPORTED = new AtomicBoolean();

    /**
     * The choice behind {@code auto}: OpenSSL, the fastest in the benchmark, where it loads; else
     * the JDK's. A build for another platform, or a system whose C library the native does not
     * fit, has no OpenSSL: that is said once per process, in one line, with the reason.
     */
    public static TlsProvider preferred() {
        String missing = OPENSSL.unavailableReason();
        if (missing == null) return OPENSSL;
        if (FALLBACK_REPORTED.compareAndSet(false, true)) {
            LOG.warn("TLS provider auto: " + missing + "; using the JDK's TLS instead");
        }
        return JDK;
    }

    /** Parses {@code auto}, {@code jdk}, {@code bc} or {@code openssl} (any case). */
    public static TlsProvider parse(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals(AUTO)) return preferred();
        for (TlsProvider p : values()) {
            if (p.id.equals(wanted)) return p;
        }
        throw new IllegalArgumentException("Unknown TLS provider '" + value + "': use auto, jdk, bc or openssl");
    }

    public boolean isAvailable() {
        return unavailableReason() == null;
    }

    /** Why this provider cannot be used here, or {@code null} when it can. */
    public String unavailableReason() {
        switch (this) {
            case JDK:
                return null;
            case BOUNCY_CASTLE:
                return BouncyCastle.FAILURE == null ? null
                        : "BouncyCastle JSSE cannot start: " + BouncyCastle.FAILURE;
            case OPENSSL:
                if (OpenSsl.isAvailable()) return null;
                Throwable cause = OpenSsl.unavailabilityCause();
                return "OpenSSL (netty-tcnative) is not available on this system"
                        + (cause == null ? "" : ": " + cause.getMessage());
            default:
                throw new AssertionError(this);
        }
    }

    /** The Netty provider this maps to. */
    public SslProvider sslProvider() {
        return this == OPENSSL ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** The JSSE provider for {@link javax.net.ssl.SSLContext}, or {@code null} for the JDK default. */
    public Provider sslContextProvider() {
        return this == BOUNCY_CASTLE ? BouncyCastle.JSSE : null;
    }

    /** Sets provider and context provider on a builder; fails clearly if the provider is unavailable. */
    SslContextBuilder applyTo(SslContextBuilder builder) throws TlsConfigException {
        String reason = unavailableReason();
        if (reason != null) throw new TlsConfigException(reason);
        return builder.sslProvider(sslProvider()).sslContextProvider(sslContextProvider());
    }

    /**
     * One BCJSSE instance for the process, created on first use. Its crypto provider is passed in
     * rather than registered, so nothing changes for the rest of the JVM.
     */
    private static final class BouncyCastle {
        static final Provider JSSE;
        static final String FAILURE;

        static {
            Provider jsse = null;
            String failure = null;
            try {
                jsse = new BouncyCastleJsseProvider(new BouncyCastleProvider());
            } catch (RuntimeException | LinkageError e) {
                failure = String.valueOf(e.getMessage());
            }
            JSSE = jsse;
            FAILURE = failure;
        }
    }
}
