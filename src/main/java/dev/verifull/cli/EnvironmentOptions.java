package dev.verifull.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code serve}'s options from environment variables, for containers and service managers:
 * {@code VERIFULL_} and the option's long name in capitals with {@code -} as {@code _}
 * ({@code --upstream} is {@code VERIFULL_UPSTREAM}, {@code --allow-user} is
 * {@code VERIFULL_ALLOW_USER}). A repeatable option takes a comma-separated list; a switch takes
 * true or false. An option on the command line (or in an {@code @file}) wins over its variable;
 * an empty variable counts as unset.
 *
 * <p>The variables become arguments placed before the command line's, then picocli parses the
 * whole as usual: the same conversion, checks and error messages as typed options. (Picocli's
 * default-value provider cannot do this: it takes one string for a list, and a switch whose
 * default is true would turn off when it is also given.)
 */
final class EnvironmentOptions {
    static final String PREFIX = "VERIFULL_";

    private final List<String> arguments = new ArrayList<>();
    private final List<String> variables = new ArrayList<>();

    private EnvironmentOptions() {}

    /** The variable for an option: {@code --allow-user} gives {@code VERIFULL_ALLOW_USER}. */
    static String variable(OptionSpec option) {
        return PREFIX + option.longestName().replaceFirst("^-+", "").toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /**
     * The arguments the environment adds for {@code command}'s options that {@code args} leaves out.
     *
     * @param fresh a new CommandLine for the command, used to see which options {@code args} gives
     * @throws CommandLine.ParameterException a switch's variable that is neither true nor false
     */
    static EnvironmentOptions read(CommandLine fresh, List<String> args, Map<String, String> env) {
        EnvironmentOptions result = new EnvironmentOptions();
        ParseResult given;
        try {
            given = fresh.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            return result; // the command line itself is wrong: that is the error to show
        }
        if (given.isUsageHelpRequested() || given.isVersionHelpRequested()) return result;
        CommandSpec spec = fresh.getCommandSpec();
        for (OptionSpec option : spec.options()) {
            if (option.usageHelp() || option.versionHelp() || !option.longestName().startsWith("--")) continue;
            String name = variable(option);
            String value = env.get(name);
            if (value == null || value.isBlank() || given.hasMatchedOption(option)) continue;
            result.variables.add(name);
            if (option.arity().max() == 0) {
                if (truth(fresh, name, value.strip())) result.arguments.add(option.longestName());
            } else if (option.typeInfo().isMultiValue()) {
                for (String item : value.split(",")) {
                    if (!item.isBlank()) result.arguments.add(option.longestName() + "=" + item.strip());
                }
            } else {
                result.arguments.add(option.longestName() + "=" + value);
            }
        }
        return result;
    }

    private static boolean truth(CommandLine cl, String name, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new CommandLine.ParameterException(cl, name + " must be true or false, not '" + value + "'");
        };
    }

    /** Arguments to put before the command line's. */
    List<String> arguments() {
        return arguments;
    }

    /** The variables that set something, for the log and for error messages. */
    List<String> variables() {
        return variables;
    }
}
