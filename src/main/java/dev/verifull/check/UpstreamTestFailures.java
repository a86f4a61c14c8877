package dev.verifull.check;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.verifull.check.UpstreamTestResult.Failure;
import dev.verifull.check.UpstreamTestResult.FailureKind;
import dev.verifull.engine.UpstreamTarget;
import dev.verifull.engine.pg.UpstreamFailure;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator.Field;

/**
 * The failures of "Test upstream": the engine's own words for a failed connection
 * ({@link UpstreamFailure}), so the test and a real connection tell the same story, shown as
 * sentences with the editor fields and the files or names to check.
 */
final class UpstreamTestFailures {
    private final Profile profile;

    UpstreamTestFailures(Profile profile) {
        this.profile = profile;
    }

    String endpoint() {
        return UpstreamTarget.endpoint(profile.upstreamHost(), profile.upstreamPort());
    }

    /** The name the certificate must carry: the server name, else the host. */
    String verifiedName() {
        return UpstreamTarget.verifiedName(profile.upstreamHost(), profile.serverName());
    }

    Failure configuration(String message, Set<Field> fields) {
        return new Failure(FailureKind.CONFIGURATION, message, "",
                "Fix the profile's settings, then test again.", fields, toCheckFor(fields));
    }

    /** What the engine's verifier reported; {@code mutualTls}: the profile has a client certificate. */
    Failure of(UpstreamFailure f, boolean mutualTls) {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        List<String> toCheck = new ArrayList<>();
        switch (f.kind()) {
            case UNRESOLVABLE -> {
                fields.add(Field.UPSTREAM_HOST);
                toCheck.add(profile.upstreamHost());
            }
            case UNREACHABLE, TIMED_OUT, NOT_POSTGRES -> {
                fields.addAll(EnumSet.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT));
                toCheck.add(endpoint());
            }
            case NO_TLS, SERVER_ERROR, CLOSED_BEFORE_TLS -> {
                fields.add(Field.UPSTREAM_PORT);
                toCheck.add(endpoint());
            }
            case DATA_AFTER_TLS_ANSWER -> toCheck.add(endpoint()); // nothing in the profile is wrong
            case CERTIFICATE_UNTRUSTED, CERTIFICATE_SELF_SIGNED -> {
                fields.add(Field.CA_FILES);
                if (profile.systemTrust()) toCheck.add("the system trust store");
                else toCheck.addAll(profile.caFiles());
            }
            case HOSTNAME_MISMATCH -> {
                fields.add(blank(profile.serverName()) ? Field.UPSTREAM_HOST : Field.SERVER_NAME);
                toCheck.add(verifiedName());
            }
            case TLS_HANDSHAKE -> {
                if (mutualTls && f.message().toLowerCase(Locale.ROOT).contains("client certificate")) {
                    fields.addAll(EnumSet.of(Field.CLIENT_CERTIFICATE, Field.CLIENT_KEY));
                    toCheck.add(profile.clientCertificateFile());
                }
            }
            case CERTIFICATE_EXPIRED, CERTIFICATE_NOT_YET_VALID -> { } // the server's certificate or this clock
        }
        return new Failure(kind(f.kind()), sentence(f), f.detail(), f.hint(), fields, toCheck);
    }

    private static FailureKind kind(UpstreamFailure.Kind kind) {
        return switch (kind) {
            case UNRESOLVABLE, UNREACHABLE -> FailureKind.UNREACHABLE;
            case TIMED_OUT -> FailureKind.TIMED_OUT;
            case NO_TLS -> FailureKind.NO_TLS;
            case SERVER_ERROR -> FailureKind.SERVER_ERROR;
            case NOT_POSTGRES, DATA_AFTER_TLS_ANSWER, CLOSED_BEFORE_TLS -> FailureKind.PROTOCOL;
            case CERTIFICATE_UNTRUSTED -> FailureKind.UNTRUSTED;
            case CERTIFICATE_SELF_SIGNED -> FailureKind.SELF_SIGNED;
            case HOSTNAME_MISMATCH -> FailureKind.HOSTNAME_MISMATCH;
            case CERTIFICATE_EXPIRED -> FailureKind.EXPIRED;
            case CERTIFICATE_NOT_YET_VALID -> FailureKind.NOT_YET_VALID;
            case TLS_HANDSHAKE -> FailureKind.HANDSHAKE_FAILED;
        };
    }

    /** The editor shows sentences; words quoted from the server or the TLS classifier end as they do. */
    private static String sentence(UpstreamFailure f) {
        String m = Character.toUpperCase(f.message().charAt(0)) + f.message().substring(1);
        boolean quotedEnding = f.kind() == UpstreamFailure.Kind.SERVER_ERROR || f.kind().tlsHandshake();
        return quotedEnding ? m : m + ".";
    }

    private List<String> toCheckFor(Set<Field> fields) {
        List<String> out = new ArrayList<>();
        if (fields.contains(Field.CA_FILES)) out.addAll(profile.caFiles());
        if (fields.contains(Field.CLIENT_CERTIFICATE) && !blank(profile.clientCertificateFile())) out.add(profile.clientCertificateFile());
        if (fields.contains(Field.CLIENT_KEY) && !blank(profile.clientKeyFile())) out.add(profile.clientKeyFile());
        return out;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
