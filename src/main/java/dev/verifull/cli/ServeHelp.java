package dev.verifull.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code serve --help}: the options in groups (upstream, trust, client side, identity, limits,
 * tuning, observability), then the environment variables, two examples and the exit codes. The
 * groups are a map here, not picocli argument groups, so options stay plain fields of
 * {@link ServeCommand}; a test fails for an option that has no group.
 */
final class ServeHelp {
    static final String OTHER = "Other";
    private static final Map<String, String> GROUP = new LinkedHashMap<>();

    static {
        group("Upstream", "--profile", "--upstream", "--upstream-server-name", "--upstream-direct-tls");
        group("Trust", "--upstream-ca", "--upstream-system-trust", "--tls13-only", "--upstream-client-cert",
                "--upstream-client-key", "--tls-provider");
        group("Client side", "--listen", "--port", "--client-tls", "--local-ca-dir", "--client-cert-name");
        group("Identity", "--identity", "--tailscale-socket", "--allow-user", "--allow-tag", "--allow-capability",
                "--allow-this-machine");
        group("Limits", "--max-sessions", "--handshake-timeout", "--connect-timeout", "--grace");
        group("Tuning", "--warm-upstreams", "--busy-poll-us");
        group("Observability", "--name", "--instance", "--audit-log", "--log-format", "--log-level", "--metrics-listen", "--check");
        group("General", "--help", "--version");
    }

    private ServeHelp() {}

    private static void group(String heading, String... options) {
        for (String o : options) GROUP.put(o, heading);
    }

    /** The group an option is listed under; {@link #OTHER} for one nobody placed yet. */
    static String groupOf(OptionSpec option) {
        return GROUP.getOrDefault(option.longestName(), OTHER);
    }

    static void install(CommandLine serve) {
        serve.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
        serve.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, ServeHelp::options);
        serve.getCommandSpec().usageMessage().footer(FOOTER);
    }

    private static String options(Help help) {
        Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
        for (String heading : GROUP.values()) groups.putIfAbsent(heading, new ArrayList<>());
        groups.put(OTHER, new ArrayList<>());
        for (OptionSpec option : help.commandSpec().options()) {
            if (!option.hidden()) groups.get(groupOf(option)).add(option);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<OptionSpec>> g : groups.entrySet()) {
            if (g.getValue().isEmpty()) continue;
            Help.Layout layout = help.createDefaultLayout();
            for (OptionSpec option : g.getValue()) layout.addOption(option, help.createDefaultParamLabelRenderer());
            out.append(String.format("%n%s:%n", g.getKey())).append(layout);
        }
        return out.toString();
    }

    /** Lines kept under 80 columns: picocli would wrap them at odd places. */
    private static final String[] FOOTER = {
        "",
        "Environment: each option can also come from VERIFULL_ and its long name in",
        "capitals, - as _ (--upstream: VERIFULL_UPSTREAM, --allow-user:",
        "VERIFULL_ALLOW_USER). Repeatable options take a comma-separated list,",
        "switches true or false. The command line wins.",
        "",
        "Examples:",
        "  verifull serve --listen 127.0.0.1:6432 --upstream db.example.com:5432 \\",
        "      --upstream-ca rds-ca.pem --audit-log audit.jsonl",
        "  VERIFULL_UPSTREAM=db.example.com:5432 VERIFULL_UPSTREAM_SYSTEM_TRUST=1 \\",
        "  VERIFULL_IDENTITY=tailscale VERIFULL_ALLOW_USER=alice@example.com,*@ex.org \\",
        "      verifull serve --log-format json",
        "",
        "Exit codes:",
        "  0  stopped by SIGTERM or SIGINT (sessions drained for up to --grace s)",
        "  1  failed while running (e.g. the address is in use)",
        "  2  a bad option or configuration, found before listening",
    };
}
