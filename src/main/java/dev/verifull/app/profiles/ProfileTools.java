package dev.verifull.app.profiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import dev.verifull.profile.Profile;

/**
 * What the window needs from the profile and manager packages besides running engines: validation,
 * certificate files, a free port, connection strings and the upstream test. One seam, so view
 * models are tested with a stand-in and the app wires the real classes in one place.
 */
public interface ProfileTools {
    /** Field → message for every problem; empty when the profile can be saved. */
    Map<ProfileField, String> validate(Profile profile, Collection<String> otherNames);

    /** Every certificate in a PEM file; blocking (file I/O), call it off the FX thread. */
    List<CertificateFacts> describeCertificates(Path file) throws IOException;

    /** Copies a CA or client certificate/key file into the app-data dir; returns the copy. Blocking. */
    Path importFile(Path source) throws IOException;

    /** First port from 6432 that is free here and not taken by another profile. Blocking (binds). */
    int suggestListenPort(Set<Integer> taken);

    List<ConnectionText> connectionStrings(Profile profile, String host, int port);

    CompletableFuture<UpstreamCheck> testUpstream(Profile profile, Executor executor);
}
