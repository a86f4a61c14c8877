package dev.verifull.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** {@code serve --help} in groups; an option added without a group fails here. */
class ServeHelpTest {
    @Test
    void everyOptionHasAGroup() {
        List<String> ungrouped = new CommandLine(new ServeCommand()).getCommandSpec().options().stream()
                .filter(o -> ServeHelp.groupOf(o).equals(ServeHelp.OTHER)).map(OptionSpec::longestName).toList();
        assertEquals(List.of(), ungrouped, "add these to a group in ServeHelp");
    }

    @Test
    void helpListsTheGroupsInOrderThenExamplesAndExitCodes() {
        StringWriter out = new StringWriter();
        assertEquals(0, Cli.run(new String[] {"serve", "--help"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()), Map.of()));
        String help = out.toString();
        int at = -1;
        for (String heading : List.of("Upstream:", "Trust:", "Client side:", "Identity:", "Limits:", "Tuning:", "Observability:",
                "General:", "Environment:", "Examples:", "Exit codes:")) {
            int next = help.indexOf("\n" + heading);
            assertTrue(next > at, heading + " after the one before it:\n" + help);
            at = next;
        }
        int ca = help.indexOf("\n      --upstream-ca=FILE"); // in the option list, not the synopsis
        assertTrue(ca > help.indexOf("\nTrust:") && ca < help.indexOf("\nClient side:"), help);
        assertTrue(help.contains("  2  a bad option or configuration"), help);
        assertTrue(help.lines().allMatch(l -> l.length() <= 80), "fits a terminal:\n" + help);
    }
}
