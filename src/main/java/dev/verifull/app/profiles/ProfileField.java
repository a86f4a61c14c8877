package dev.verifull.app.profiles;

/** The editor's fields that can carry a validation message (same names as the profile validator's). */
public enum ProfileField {
    NAME, UPSTREAM_HOST, UPSTREAM_PORT, SERVER_NAME, CA_FILES, CLIENT_CERTIFICATE, CLIENT_KEY, LISTEN_PORT,
    ALLOW_USERS, ALLOW_TAGS, ALLOW_CAPABILITY, DEFAULT_DATABASE, DEFAULT_USER, TLS_PROVIDER, MAX_SESSIONS
}
