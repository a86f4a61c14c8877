package dev.verifull.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.verifull.profile.AppDataDir;
import dev.verifull.tls.LocalCa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Prints or exports the local CA certificate that clients use as {@code sslrootcert}. */
@Command(name = "local-ca", mixinStandardHelpOptions = true,
        description = "Print (or write with --out) the local CA certificate that signs Verifull's client-facing certificates.")
final class LocalCaCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--local-ca-dir", paramLabel = "DIR", description = "Where the local CA lives (default: the app-data dir's local-ca).")
    Path dir;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the PEM certificate to FILE instead of printing it.")
    Path out;

    @Override
    public Integer call() throws Exception {
        LocalCa ca = LocalCa.loadOrCreate(dir != null ? dir : AppDataDir.localCa(AppDataDir.resolve()));
        if (out != null) {
            Files.writeString(out, ca.certificatePem());
            spec.commandLine().getOut().println("verifull: local CA certificate written to " + out.toAbsolutePath());
        } else {
            spec.commandLine().getOut().print(ca.certificatePem());
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
