package dev.verifull.cli;

import java.io.PrintWriter;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command line: {@code verifull serve ...}, {@code verifull local-ca ...}, --version, --help. */
@Command(name = "verifull", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Verifull: a PostgreSQL proxy that connects upstream only with verified TLS.",
        subcommands = {ServeCommand.class, LocalCaCommand.class})
public final class Cli implements Runnable {
    /** Exit code for bad arguments or configuration found before listening. */
    public static final int EXIT_USAGE = 2;
    /** Exit code for failures at run time (e.g. the port is in use). */
    public static final int EXIT_FAILURE = 1;

    static {
        // Log records (System.Logger/JUL) as one line each, like the CLI's own: "verifull: WARNING: ...".
        // Set before the first record creates JUL's console handler; -D on the command line wins.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "verifull: %4$s: %5$s%6$s%n");
        }
    }

    /** BouncyCastle JSSE logs every connection at INFO through JUL; keep the terminal for our own lines. */
    private static final java.util.logging.Logger BC_JSSE_LOG = java.util.logging.Logger.getLogger("org.bouncycastle.jsse");

    static {
        BC_JSSE_LOG.setLevel(java.util.logging.Level.WARNING);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static int run(String[] args) {
        return run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /** @param env where {@code serve}'s options may also come from (see {@link EnvironmentOptions}) */
    static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> env) {
        CommandLine cl = new CommandLine(new Cli());
        cl.setOut(out);
        cl.setErr(err);
        CommandLine serve = cl.getSubcommands().get("serve");
        ServeHelp.install(serve);
        java.util.List<String> fromEnv = java.util.List.of();
        if (args.length > 0 && args[0].equals("serve")) {
            java.util.List<String> rest = java.util.List.of(args).subList(1, args.length);
            EnvironmentOptions env0;
            try {
                env0 = EnvironmentOptions.read(new CommandLine(new ServeCommand()), rest, env);
            } catch (CommandLine.ParameterException e) {
                err.println("verifull: " + e.getMessage());
                return EXIT_USAGE;
            }
            fromEnv = env0.variables();
            ((ServeCommand) serve.getCommand()).fromEnvironment = fromEnv;
            java.util.List<String> all = new java.util.ArrayList<>();
            all.add("serve");
            all.addAll(env0.arguments());
            all.addAll(rest);
            args = all.toArray(String[]::new);
        }
        java.util.List<String> variables = fromEnv;
        // One clear line for a bad argument, not a wall of usage text.
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("verifull: " + ex.getMessage() + " (see 'verifull "
                    + (ex.getCommandLine().getCommandName().equals("verifull") ? "" : ex.getCommandLine().getCommandName() + " ")
                    + "--help'" + (variables.isEmpty() ? "" : "; from the environment: " + String.join(", ", variables)) + ")");
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            c.getErr().println("verifull: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"verifull " + VersionInfo.version()};
        }
    }
}
