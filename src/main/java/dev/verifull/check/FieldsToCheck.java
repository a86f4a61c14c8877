package dev.verifull.check;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileValidator.Field;
import dev.verifull.tls.UpstreamDiagnosis;

/**
 * Where in the profile "Test upstream" points for a diagnosis: the editor fields to highlight and
 * the concrete files, names or addresses to check.
 */
record FieldsToCheck(Set<Field> fields, List<String> toCheck) {

    /** For a settings problem: the fields named, and the files behind them. */
    static FieldsToCheck settings(Profile profile, Set<Field> fields) {
        List<String> out = new ArrayList<>();
        if (fields.contains(Field.CA_FILES)) profile.caFiles().forEach(f -> out.add(profile.describeFile(f)));
        if (fields.contains(Field.CLIENT_CERTIFICATE) && !blank(profile.clientCertificateFile())) {
            out.add(profile.describeFile(profile.clientCertificateFile()));
        }
        if (fields.contains(Field.CLIENT_KEY) && !blank(profile.clientKeyFile())) out.add(profile.describeFile(profile.clientKeyFile()));
        return new FieldsToCheck(fields, out);
    }

    /** For what the verifier reported; {@code mutualTls}: the profile has a client certificate. */
    static FieldsToCheck of(Profile profile, UpstreamDiagnosis d, boolean mutualTls) {
        Set<Field> fields = EnumSet.noneOf(Field.class);
        List<String> toCheck = new ArrayList<>();
        String endpoint = UpstreamTester.endpoint(profile);
        switch (d.kind()) {
            case UNRESOLVABLE -> {
                fields.add(Field.UPSTREAM_HOST);
                toCheck.add(profile.upstreamHost());
            }
            case UNREACHABLE, TIMED_OUT, NOT_POSTGRES -> {
                fields.addAll(EnumSet.of(Field.UPSTREAM_HOST, Field.UPSTREAM_PORT));
                toCheck.add(endpoint);
            }
            case NO_TLS, SERVER_ERROR, CLOSED_BEFORE_TLS, ALPN_MISMATCH -> {
                fields.add(Field.UPSTREAM_PORT);
                toCheck.add(endpoint);
            }
            case DATA_AFTER_TLS_ANSWER -> toCheck.add(endpoint); // nothing in the profile is wrong
            case UNTRUSTED, SELF_SIGNED -> {
                fields.add(Field.CA_FILES);
                if (profile.systemTrust()) toCheck.add("the system trust store");
                else profile.caFiles().forEach(f -> toCheck.add(profile.describeFile(f))); // as the user chose them
            }
            case HOSTNAME_MISMATCH -> {
                fields.add(blank(profile.serverName()) ? Field.UPSTREAM_HOST : Field.SERVER_NAME);
                toCheck.add(UpstreamTester.verifiedName(profile));
            }
            case HANDSHAKE_FAILED -> {
                if (mutualTls && d.message().toLowerCase(Locale.ROOT).contains("client certificate")) {
                    fields.addAll(EnumSet.of(Field.CLIENT_CERTIFICATE, Field.CLIENT_KEY));
                    toCheck.add(profile.describeFile(profile.clientCertificateFile()));
                }
            }
            case EXPIRED, NOT_YET_VALID, CONFIGURATION -> { } // the server's certificate or this clock; settings: see above
        }
        return new FieldsToCheck(fields, toCheck);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
