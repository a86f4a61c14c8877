package dev.verifull.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.profile.ProfileValidator;

/**
 * {@code serve --profile NAME}: fills the serve options from a profile the desktop app saved, so
 * a server runs exactly what was set up (and tested) in the window.
 */
final class SavedProfileOptions {
    private SavedProfileOptions() {}

    static void apply(ServeCommand serve, String name) throws ServeCommand.UsageError {
        apply(serve, name, AppDataDir.profiles(AppDataDir.resolve()));
    }

    /** @param file the profiles.json to read */
    static void apply(ServeCommand serve, String name, Path file) throws ServeCommand.UsageError {
        if (serve.upstream != null || !serve.upstreamCa.isEmpty() || serve.systemTrust || serve.clientCert != null
                || !serve.listen.isEmpty() || !serve.allowUsers.isEmpty() || !serve.allowTags.isEmpty()
                || !serve.allowCapabilities.isEmpty() || serve.allowThisMachine) {
            throw new ServeCommand.UsageError("--profile takes the upstream, trust, listen and access settings from the "
                    + "saved profile; leave out --upstream*, --listen and --allow-* (or leave out --profile)");
        }
        ProfileStore.LoadResult loaded = ProfileStore.open(file).load();
        if (loaded.problem() != null) throw new ServeCommand.UsageError(loaded.problem());
        Profile p = loaded.profiles().stream().filter(x -> x.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new ServeCommand.UsageError("no profile named '" + name + "' in " + file
                        + (loaded.profiles().isEmpty() ? " (there are no profiles)" : " (profiles: "
                        + String.join(", ", loaded.profiles().stream().map(Profile::name).toList()) + ")")));
        serve.name = p.name();
        serve.upstream = new HostPort(p.upstreamHost(), p.upstreamPort());
        serve.serverName = p.serverName();
        serve.systemTrust = p.systemTrust();
        serve.upstreamCa = p.systemTrust() ? new ArrayList<>() : new ArrayList<>(p.caFiles().stream().map(Path::of).toList());
        serve.clientCert = p.clientCertificateFile() != null ? Path.of(p.clientCertificateFile()) : null;
        serve.clientKey = p.clientKeyFile() != null ? Path.of(p.clientKeyFile()) : null;
        serve.tls13Only = p.tls13Only();
        serve.directTls = p.directTls();
        serve.tlsProvider = p.tlsProvider();
        if (serve.maxSessions == null) serve.maxSessions = p.maxSessions(); // an explicit --max-sessions wins
        if (serve.warmUpstreams == null) { // an explicit --warm-upstreams wins over the profile
            String problem = ProfileValidator.warmUpstreams(p.warmUpstreams());
            if (problem != null) throw new ServeCommand.UsageError("profile '" + p.name() + "': " + problem);
            serve.warmUpstreams = p.warmUpstreams();
        }
        if (serve.busyPollMicros == null) { // likewise --busy-poll-us
            String problem = ProfileValidator.busyPoll(p.busyPollMicros());
            if (problem != null) throw new ServeCommand.UsageError("profile '" + p.name() + "': " + problem);
            serve.busyPollMicros = p.busyPollMicros();
        }
        if (p.binding() == Profile.Binding.LOCAL_ONLY) {
            serve.identity = "local";
            serve.listen = new ArrayList<>(List.of(new HostPort("127.0.0.1", p.listenPort())));
        } else {
            serve.identity = "tailscale";
            serve.port = p.listenPort();
            serve.allowUsers = new ArrayList<>(p.allowUsers());
            serve.allowTags = new ArrayList<>(p.allowTags());
            serve.allowCapabilities = p.allowCapability() != null && !p.allowCapability().isBlank()
                    ? new ArrayList<>(List.of(p.allowCapability())) : new ArrayList<>();
            serve.allowThisMachine = p.allowThisMachine();
        }
    }
}
