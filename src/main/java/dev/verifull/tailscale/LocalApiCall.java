package dev.verifull.tailscale;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The requests this client makes. Kept as values rather than URLs so the CLI fallback can turn
 * each into a command line instead of an HTTP request.
 */
sealed interface LocalApiCall {
    /** Short name for messages: "status", "whois", "cert". */
    String operation();

    /** HTTP request target, below {@code /localapi/v0/}. */
    String path();

    record Status() implements LocalApiCall {
        @Override
        public String operation() {
            return "status";
        }

        @Override
        public String path() {
            return "/localapi/v0/status?peers=false";
        }
    }

    /** {@code addr} is already in whois form: {@code 1.2.3.4:5} or {@code [v6]:5} or a bare IP. */
    record WhoIs(String addr) implements LocalApiCall {
        @Override
        public String operation() {
            return "whois";
        }

        @Override
        public String path() {
            return "/localapi/v0/whois?addr=" + URLEncoder.encode(addr, StandardCharsets.UTF_8);
        }
    }

    /** {@code domain} has been checked to be a plain DNS name (see {@link LocalApiClient#cert}). */
    record Cert(String domain) implements LocalApiCall {
        @Override
        public String operation() {
            return "cert";
        }

        @Override
        public String path() {
            return "/localapi/v0/cert/" + domain + "?type=pair";
        }
    }
}
