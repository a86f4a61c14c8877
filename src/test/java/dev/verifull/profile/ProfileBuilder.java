package dev.verifull.profile;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A valid local-only profile to start from in tests; change what the test is about. */
public final class ProfileBuilder {
    private String name = "prod";
    private String upstreamHost = "db.example.com";
    private int upstreamPort = 5432;
    private String serverName;
    private List<String> caFiles = new ArrayList<>();
    private boolean systemTrust = true;
    private String clientCertificateFile;
    private String clientKeyFile;
    private boolean tls13Only;
    private boolean directTls;
    private int listenPort = 6432;
    private Profile.Binding binding = Profile.Binding.LOCAL_ONLY;
    private List<String> allowUsers = new ArrayList<>();
    private List<String> allowTags = new ArrayList<>();
    private String allowCapability;
    private String defaultDatabase = "postgres";
    private String defaultUser;
    private boolean startWithApp;
    private String tlsProvider = "jdk";
    private int maxSessions = 200;
    private int warmUpstreams;
    private int busyPollMicros;
    private boolean allowThisMachine;
    private boolean offerClientTls;
    private Map<String, String> importedFrom = new LinkedHashMap<>();
    private int metricsPort;

    public static ProfileBuilder profile() {
        return new ProfileBuilder();
    }

    public ProfileBuilder name(String v) { name = v; return this; }
    public ProfileBuilder upstream(String host, int port) { upstreamHost = host; upstreamPort = port; return this; }
    public ProfileBuilder serverName(String v) { serverName = v; return this; }
    public ProfileBuilder ca(Path... files) {
        caFiles = new ArrayList<>();
        for (Path f : files) caFiles.add(f.toString());
        systemTrust = false;
        return this;
    }
    public ProfileBuilder caFiles(List<String> v) { caFiles = v; systemTrust = false; return this; }
    public ProfileBuilder systemTrust(boolean v) { systemTrust = v; return this; }
    public ProfileBuilder clientCertificate(String cert, String key) { clientCertificateFile = cert; clientKeyFile = key; return this; }
    public ProfileBuilder tls13Only(boolean v) { tls13Only = v; return this; }
    public ProfileBuilder directTls(boolean v) { directTls = v; return this; }
    public ProfileBuilder listenPort(int v) { listenPort = v; return this; }
    public ProfileBuilder binding(Profile.Binding v) { binding = v; return this; }
    public ProfileBuilder allowUsers(String... v) { allowUsers = List.of(v); return this; }
    public ProfileBuilder allowTags(String... v) { allowTags = List.of(v); return this; }
    public ProfileBuilder allowCapability(String v) { allowCapability = v; return this; }
    public ProfileBuilder defaultDatabase(String v) { defaultDatabase = v; return this; }
    public ProfileBuilder defaultUser(String v) { defaultUser = v; return this; }
    public ProfileBuilder startWithApp(boolean v) { startWithApp = v; return this; }
    public ProfileBuilder tlsProvider(String v) { tlsProvider = v; return this; }
    public ProfileBuilder maxSessions(int v) { maxSessions = v; return this; }
    public ProfileBuilder warmUpstreams(int v) { warmUpstreams = v; return this; }
    public ProfileBuilder busyPollMicros(int v) { busyPollMicros = v; return this; }
    public ProfileBuilder allowThisMachine(boolean v) { allowThisMachine = v; return this; }
    public ProfileBuilder offerClientTls(boolean v) { offerClientTls = v; return this; }
    /** Records that the imported file {@code copy} was chosen from {@code original}. */
    public ProfileBuilder metricsPort(int v) { metricsPort = v; return this; }
    public ProfileBuilder importedFrom(String copy, String original) { importedFrom.put(copy, original); return this; }

    public Profile build() {
        return new Profile(name, upstreamHost, upstreamPort, serverName, caFiles, systemTrust, clientCertificateFile,
                clientKeyFile, tls13Only, directTls, listenPort, binding, allowUsers, allowTags, allowCapability,
                defaultDatabase, defaultUser, startWithApp, tlsProvider, maxSessions, warmUpstreams, busyPollMicros,
                allowThisMachine, offerClientTls, importedFrom, metricsPort);
    }
}
