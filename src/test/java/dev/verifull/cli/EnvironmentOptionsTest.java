package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The rule from option to environment variable, and which one wins. */
class EnvironmentOptionsTest {
    @TempDir
    Path dir;

    private static ServeCommand parsedWith(Map<String, String> env, String... args) {
        EnvironmentOptions fromEnv = EnvironmentOptions.read(new CommandLine(new ServeCommand()), List.of(args), env);
        ServeCommand serve = new ServeCommand();
        List<String> all = new java.util.ArrayList<>(fromEnv.arguments());
        all.addAll(List.of(args));
        new CommandLine(serve).parseArgs(all.toArray(String[]::new));
        return serve;
    }

    @Test
    void everyOptionHasAVariableNamedAfterIt() {
        CommandLine cl = new CommandLine(new ServeCommand());
        assertEquals("VERIFULL_UPSTREAM", EnvironmentOptions.variable(cl.getCommandSpec().findOption("--upstream")));
        assertEquals("VERIFULL_ALLOW_USER", EnvironmentOptions.variable(cl.getCommandSpec().findOption("--allow-user")));
        assertEquals("VERIFULL_BUSY_POLL_US", EnvironmentOptions.variable(cl.getCommandSpec().findOption("--busy-poll-us")));
        assertEquals("VERIFULL_UPSTREAM_SYSTEM_TRUST", EnvironmentOptions.variable(cl.getCommandSpec().findOption("--upstream-system-trust")));
    }

    @Test
    void valuesListsAndSwitchesComeFromTheEnvironment() {
        ServeCommand s = parsedWith(Map.of("VERIFULL_UPSTREAM", "db.example.com:5432",
                "VERIFULL_ALLOW_USER", "alice@example.com, *@example.org,",
                "VERIFULL_UPSTREAM_SYSTEM_TRUST", "true", "VERIFULL_TLS13_ONLY", "false",
                "VERIFULL_MAX_SESSIONS", "40", "VERIFULL_LOG_FORMAT", "json", "VERIFULL_NAME", ""));
        assertEquals("db.example.com", s.upstream.host());
        assertEquals(List.of("alice@example.com", "*@example.org"), s.allowUsers);
        assertTrue(s.systemTrust);
        assertEquals(false, s.tls13Only);
        assertEquals(40, s.maxSessions);
        assertEquals(ServeCommand.LogFormatName.json, s.logFormat);
        assertEquals(null, s.name, "an empty variable is unset");
    }

    @Test
    void theCommandLineWins() throws Exception {
        Map<String, String> env = Map.of("VERIFULL_UPSTREAM", "env-db:5432", "VERIFULL_ALLOW_USER", "env@example.com",
                "VERIFULL_UPSTREAM_SYSTEM_TRUST", "true", "VERIFULL_MAX_SESSIONS", "40");
        ServeCommand s = parsedWith(env, "--upstream=cli-db:5432", "--allow-user", "cli@example.com", "--upstream-system-trust");
        assertEquals("cli-db", s.upstream.host());
        assertEquals(List.of("cli@example.com"), s.allowUsers, "the list from the command line replaces the variable's");
        assertTrue(s.systemTrust, "a switch given and set in the environment stays on");
        assertEquals(40, s.maxSessions);

        Path args = Files.writeString(dir.resolve("serve.args"), "--max-sessions 7\n");
        assertEquals(7, parsedWith(env, "@" + args).maxSessions, "an @file is the command line too");
    }

    @Test
    void badValuesAreOneLineThatNamesTheVariable() {
        assertThrows(CommandLine.ParameterException.class,
                () -> parsedWith(Map.of("VERIFULL_UPSTREAM_SYSTEM_TRUST", "maybe")));
        StringWriter err = new StringWriter();
        int code = Cli.run(new String[] {"serve", "--upstream", "db:5432"}, new PrintWriter(new StringWriter()), new PrintWriter(err, true),
                Map.of("VERIFULL_UPSTREAM_SYSTEM_TRUST", "1", "VERIFULL_MAX_SESSIONS", "lots"));
        assertEquals(Cli.EXIT_USAGE, code);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("--max-sessions") && err.toString().contains("'lots'")
                && err.toString().contains("from the environment: VERIFULL_UPSTREAM_SYSTEM_TRUST, VERIFULL_MAX_SESSIONS")
                || err.toString().contains("from the environment: VERIFULL_MAX_SESSIONS, VERIFULL_UPSTREAM_SYSTEM_TRUST"), err.toString());

        StringWriter err2 = new StringWriter();
        assertEquals(Cli.EXIT_USAGE, Cli.run(new String[] {"serve"}, new PrintWriter(new StringWriter()), new PrintWriter(err2, true),
                Map.of("VERIFULL_UPSTREAM_SYSTEM_TRUST", "maybe")));
        assertEquals("verifull: VERIFULL_UPSTREAM_SYSTEM_TRUST must be true or false, not 'maybe'", err2.toString().strip());
    }
}
