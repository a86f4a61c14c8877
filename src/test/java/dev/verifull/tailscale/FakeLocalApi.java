package dev.verifull.tailscale;

import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.google.gson.FormattingStyle;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * A stand-in tailscaled LocalAPI for tests: HTTP/1.1 on a Unix socket (or, like the macOS GUI
 * apps, on 127.0.0.1 with a required Basic-auth token), answering status, whois and cert with
 * the JSON shapes documented in {@code shared/reference/tailscale-localapi.md}. It enforces what
 * the real one enforces (Host header, no Origin/Referer, the token) and records every request.
 *
 * <p>Out of the box: this machine is Running at {@value #SELF_IP} as {@code verifull-host}; whois
 * knows {@value #ALICE_IP} (alice's laptop), {@value #TAGGED_IP} (tag:ci), {@value #SHARED_IP}
 * (bob's device, shared in), answers 403 for {@value #DENIED_IP}, broken JSON for
 * {@value #MALFORMED_IP}, answers {@value #SLOW_IP} after {@link #SLOW_DELAY}, and 404 for others.
 *
 * <pre>{@code
 * try (FakeLocalApi fake = FakeLocalApi.startUnix(tempDir);
 *      LocalApiClient client = fake.client()) {
 *     Identity alice = client.whois(new InetSocketAddress(FakeLocalApi.ALICE_IP, 50000)).join();
 * }
 * }</pre>
 */
public final class FakeLocalApi implements AutoCloseable {
    public static final String SELF_IP = "127.0.0.2";
    /**
     * The fake's "Tailscale addresses" are loopback ones (tests cannot bind 100.x): where a test
     * listens on them, it widens Tailscale's ranges by 127.0.0.0/8 with this.
     */
    public static final TailnetAddressRanges ADDRESS_RANGES = TailnetAddressRanges.TAILSCALE.plus("127.0.0.0/8");
    /** The same for a {@code verifull serve} process: a JVM option. */
    public static final String ADDRESS_RANGES_OPTION = "-D" + TailnetAddressRanges.EXTRA_PROPERTY + "=127.0.0.0/8";
    public static final String ALICE_IP = "127.0.0.3";
    public static final String TAGGED_IP = "127.0.0.4";
    public static final String SHARED_IP = "127.0.0.5";
    public static final String DENIED_IP = "127.0.0.6";
    public static final String MALFORMED_IP = "127.0.0.7";
    public static final String SLOW_IP = "127.0.0.8";
    public static final Duration SLOW_DELAY = Duration.ofSeconds(10);
    public static final String SELF_DNS_NAME = "verifull-host.tail1a2b3.ts.net";
    public static final String ALICE_MACHINE = "laptop.tail1a2b3.ts.net";
    public static final String TAGGED_MACHINE = "ci-runner.tail1a2b3.ts.net";
    public static final String SHARED_MACHINE = "bobs-pc.bobnet.ts.net";
    public static final String ALICE_CAPABILITY = "verifull.dev/cap/postgres";

    private static final Gson GSON = new GsonBuilder().setFormattingStyle(FormattingStyle.PRETTY.withIndent("\t")).create();
    private static final Pattern PORT_SUFFIX = Pattern.compile(":\\d+$");

    /** What the fake sends back for one request. */
    public record Answer(int status, String contentType, String body, Duration delay) {
        public static Answer json(String body) {
            return new Answer(200, "application/json", body, Duration.ZERO);
        }

        /** An error as tailscaled sends it: Go's http.Error, plain text and a newline. */
        public static Answer error(int status, String text) {
            return new Answer(status, "text/plain; charset=utf-8", text + "\n", Duration.ZERO);
        }

        public static Answer text(String body) {
            return new Answer(200, "text/plain; charset=utf-8", body, Duration.ZERO);
        }

        public Answer after(Duration delay) {
            return new Answer(status, contentType, body, delay);
        }
    }

    /** A request as received. Header names are lower case. */
    public record Request(String method, String uri, Map<String, String> headers) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String path() {
            return new QueryStringDecoder(uri).path();
        }

        public String query(String name) {
            List<String> values = new QueryStringDecoder(uri).parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final EventLoopGroup group;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel server;
    private final Path socketPath;
    private final String token;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> whois = new ConcurrentHashMap<>();
    private final Map<String, Answer> certs = new ConcurrentHashMap<>();

    private volatile String state = "Running";
    private volatile List<String> selfAddresses = List.of(SELF_IP);
    private volatile String dnsName = SELF_DNS_NAME + ".";
    private volatile String tailnet = "example.com";
    private volatile String magicDnsSuffix = "tail1a2b3.ts.net";
    private volatile List<String> certDomains = List.of(SELF_DNS_NAME);
    private volatile String selfLogin = "alice@example.com";
    private volatile String selfDisplayName = "Alice Example";
    private volatile Answer statusOverride;

    private FakeLocalApi(Path socketPath, String token) throws InterruptedException {
        this.socketPath = socketPath;
        this.token = token;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("fake-localapi", true),
                NioIoHandler.newFactory());
        ServerBootstrap b = new ServerBootstrap().group(group)
                .channel(socketPath != null ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        channels.add(ch);
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Handler());
                    }
                });
        this.server = b.bind(socketPath != null ? UnixDomainSocketAddress.of(socketPath)
                : new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        defaultPeers();
    }

    /** Listens on {@code dir/tailscaled.sock}. */
    public static FakeLocalApi startUnix(Path dir) {
        try {
            Files.createDirectories(dir);
            return new FakeLocalApi(dir.resolve("tailscaled.sock"), null);
        } catch (Exception e) {
            throw new IllegalStateException("fake LocalAPI did not start", e);
        }
    }

    /** Listens on 127.0.0.1 and wants {@code token} as the Basic-auth password, like the macOS GUI apps. */
    public static FakeLocalApi startTcp(String token) {
        try {
            return new FakeLocalApi(null, token);
        } catch (Exception e) {
            throw new IllegalStateException("fake LocalAPI did not start", e);
        }
    }

    private void defaultPeers() {
        whois.put(ALICE_IP, Answer.json(userNode(ALICE_IP, "alice@example.com", "Alice Example", ALICE_MACHINE, "macOS",
                Map.of(ALICE_CAPABILITY, List.of("{\"profiles\":[\"alpha\"]}", "{\"profiles\":[\"beta\"]}")))));
        whois.put(TAGGED_IP, Answer.json(taggedNode(TAGGED_IP, TAGGED_MACHINE, "linux", "tag:ci")));
        whois.put(SHARED_IP, Answer.json(sharedInNode(SHARED_IP, "bob@gmail.com", "Bob Outside", SHARED_MACHINE, "windows")));
        whois.put(DENIED_IP, Answer.error(403, "whois access denied"));
        whois.put(MALFORMED_IP, new Answer(200, "application/json", "{\"Node\": {\"Name\": \"half", Duration.ZERO));
        whois.put(SLOW_IP, Answer.json(userNode(SLOW_IP, "slow@example.com", "Slow", "slow.tail1a2b3.ts.net", "linux", Map.of()))
                .after(SLOW_DELAY));
    }

    // ---- where it listens

    /** The Unix socket path; null in TCP mode. */
    public Path socketPath() {
        return socketPath;
    }

    /** The TCP port; 0 in Unix-socket mode. */
    public int port() {
        return socketPath == null ? ((InetSocketAddress) server.localAddress()).getPort() : 0;
    }

    public String token() {
        return token;
    }

    public LocalApiEndpoint endpoint() {
        return socketPath != null ? new LocalApiEndpoint.UnixSocket(socketPath)
                : new LocalApiEndpoint.LoopbackPort(port(), token, "the fake Tailscale app");
    }

    /** A client for this fake with default timeouts. */
    public LocalApiClient client() {
        return client(LocalApiSettings.DEFAULT_REQUEST_TIMEOUT);
    }

    public LocalApiClient client(Duration requestTimeout) {
        return LocalApiClient.forEndpoint(endpoint(), LocalApiSettings.defaults().withRequestTimeout(requestTimeout));
    }

    // ---- what it answers

    /** BackendState: Running, Stopped, NeedsLogin, Starting, NoState, … */
    public FakeLocalApi state(String state) {
        this.state = state;
        return this;
    }

    public FakeLocalApi selfAddresses(String... ips) {
        this.selfAddresses = List.of(ips);
        return this;
    }

    /** MagicDNS name; served with the trailing dot, as tailscaled does. */
    public FakeLocalApi dnsName(String name) {
        this.dnsName = name.isEmpty() || name.endsWith(".") ? name : name + ".";
        return this;
    }

    public FakeLocalApi tailnet(String name, String magicDnsSuffix) {
        this.tailnet = name;
        this.magicDnsSuffix = magicDnsSuffix;
        return this;
    }

    public FakeLocalApi certDomains(String... domains) {
        this.certDomains = List.of(domains);
        return this;
    }

    public FakeLocalApi selfUser(String login, String displayName) {
        this.selfLogin = login;
        this.selfDisplayName = displayName;
        return this;
    }

    /** Answers status with this instead of the settable fields; null to go back. */
    public FakeLocalApi statusAnswer(Answer answer) {
        this.statusOverride = answer;
        return this;
    }

    /** How whois answers for this IP (any port). */
    public FakeLocalApi whois(String ip, Answer answer) {
        whois.put(normalize(ip), answer);
        return this;
    }

    public FakeLocalApi forgetWhois(String ip) {
        whois.remove(normalize(ip));
        return this;
    }

    /** How {@code cert/DOMAIN?type=pair} answers. */
    public FakeLocalApi cert(String domain, Answer answer) {
        certs.put(domain, answer);
        return this;
    }

    /** Serves this pair (key PEM, then chain PEM) for the domain. */
    public FakeLocalApi certPair(String domain, String pairPem) {
        return cert(domain, Answer.text(pairPem));
    }

    // ---- what it saw

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Requests whose path starts with {@code prefix}, e.g. {@code /localapi/v0/whois}. */
    public List<Request> requests(String prefix) {
        return requests.stream().filter(r -> r.path().startsWith(prefix)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    @Override
    public void close() {
        server.close().awaitUninterruptibly();
        channels.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly();
        if (socketPath != null) {
            try {
                Files.deleteIfExists(socketPath);
            } catch (Exception ignored) {
                // temp dir cleanup takes care of it
            }
        }
    }

    // ---- JSON in the documented shapes

    /** A whois answer for a user-owned node (CapMap values are raw JSON texts). */
    public static String userNode(String ip, String login, String displayName, String dnsName, String os,
            Map<String, List<String>> capMap) {
        JsonObject node = node(ip, dnsName, os, 2345678);
        return whoisJson(node, profile(2345678, login, displayName), capMap);
    }

    /** A whois answer for a tagged node: the tagged-devices pseudo-user and the tags. */
    public static String taggedNode(String ip, String dnsName, String os, String... tags) {
        JsonObject node = node(ip, dnsName, os, 1111111);
        JsonArray t = new JsonArray();
        for (String tag : tags) t.add(tag);
        node.add("Tags", t);
        return whoisJson(node, profile(1111111, "tagged-devices", "Tagged Devices"), Map.of());
    }

    /** The node ID this machine reports as {@code Self.ID} in the status answer. */
    public static final String SELF_NODE_ID = "nSELF11CNTRL";

    /**
     * What tailscaled answers to whois for one of this machine's own addresses: this machine's
     * node (same StableID as the status's Self.ID), owned by the logged-in user.
     */
    public FakeLocalApi whoisThisMachine(String ip) {
        JsonObject node = node(ip, SELF_DNS_NAME, "linux", 2345678);
        node.addProperty("StableID", SELF_NODE_ID);
        return whois(ip, Answer.json(whoisJson(node, profile(2345678, selfLogin, selfDisplayName), Map.of())));
    }

    /**
     * A whois answer for a device of someone this machine is shared with: the other user's
     * profile, a name in their tailnet, {@code Hostinfo.ShareeNode: true}.
     */
    public static String sharedInNode(String ip, String login, String displayName, String dnsName, String os) {
        JsonObject node = node(ip, dnsName, os, 3456789);
        node.getAsJsonObject("Hostinfo").addProperty("ShareeNode", true);
        return whoisJson(node, profile(3456789, login, displayName), Map.of());
    }

    /**
     * What {@code cert/DOMAIN?type=pair} sends: the EC key as SEC1 {@code EC PRIVATE KEY} the way
     * Go's {@code x509.MarshalECPrivateKey} writes it (named curve and public key included), then
     * the chain, leaf first.
     */
    public static String pairPem(PrivateKey key, List<X509Certificate> chain) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new PemObject("EC PRIVATE KEY", sec1(key, chain.get(0).getPublicKey())));
            for (X509Certificate c : chain) w.writeObject(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    // The JDK's own EC key encoding leaves the curve out of the inner SEC1 structure; Go's does not.
    private static byte[] sec1(PrivateKey key, PublicKey publicKey) throws java.io.IOException {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
        ASN1ObjectIdentifier curve = ASN1ObjectIdentifier.getInstance(spki.getAlgorithm().getParameters());
        ECPrivateKey ec = (ECPrivateKey) key;
        int bits = ec.getParams().getOrder().bitLength();
        return new org.bouncycastle.asn1.sec.ECPrivateKey(bits, ec.getS(), spki.getPublicKeyData(), curve).getEncoded();
    }

    private static JsonObject node(String ip, String dnsName, String os, long userId) {
        JsonObject node = new JsonObject();
        node.addProperty("ID", 7000000 + Math.abs(ip.hashCode() % 100000));
        node.addProperty("StableID", "n" + Integer.toHexString(ip.hashCode()) + "CNTRL");
        node.addProperty("Name", dnsName + ".");
        node.addProperty("User", userId);
        node.addProperty("Key", "nodekey:" + "0".repeat(64));
        JsonArray addresses = new JsonArray();
        addresses.add(ip + (ip.contains(":") ? "/128" : "/32"));
        node.add("Addresses", addresses);
        node.add("AllowedIPs", addresses.deepCopy());
        node.addProperty("HomeDERP", 4);
        JsonObject hostinfo = new JsonObject();
        hostinfo.addProperty("OS", os);
        hostinfo.addProperty("Hostname", dnsName.split("\\.")[0]);
        node.add("Hostinfo", hostinfo);
        node.addProperty("Created", "2025-10-01T08:00:00.123456789Z");
        node.addProperty("Cap", 142);
        node.addProperty("Online", true);
        node.addProperty("MachineAuthorized", true);
        node.addProperty("ComputedName", dnsName.split("\\.")[0]);
        node.addProperty("ComputedNameWithHost", dnsName.split("\\.")[0]);
        return node;
    }

    private static JsonObject profile(long id, String login, String displayName) {
        JsonObject p = new JsonObject();
        p.addProperty("ID", id);
        p.addProperty("LoginName", login);
        p.addProperty("DisplayName", displayName);
        return p;
    }

    private static String whoisJson(JsonObject node, JsonObject profile, Map<String, List<String>> capMap) {
        JsonObject root = new JsonObject();
        root.add("Node", node);
        root.add("UserProfile", profile);
        if (capMap.isEmpty()) {
            root.add("CapMap", JsonNull.INSTANCE);
        } else {
            JsonObject caps = new JsonObject();
            capMap.forEach((name, values) -> {
                JsonArray a = new JsonArray();
                values.forEach(v -> a.add(JsonParser.parseString(v)));
                caps.add(name, a);
            });
            root.add("CapMap", caps);
        }
        return GSON.toJson(root);
    }

    private String statusJson() {
        boolean hasNetmap = !state.equals("NeedsLogin") && !state.equals("NoState");
        JsonObject root = new JsonObject();
        root.addProperty("Version", "1.102.3-tfake-gfake");
        root.addProperty("TUN", true);
        root.addProperty("BackendState", state);
        root.addProperty("HaveNodeKey", hasNetmap);
        root.addProperty("AuthURL", state.equals("NeedsLogin") ? "https://login.tailscale.com/a/fake" : "");
        JsonElement ips = hasNetmap ? strings(selfAddresses) : JsonNull.INSTANCE;
        root.add("TailscaleIPs", ips);
        JsonObject self = new JsonObject();
        self.addProperty("ID", hasNetmap ? SELF_NODE_ID : "");
        self.addProperty("NodeID", hasNetmap ? 6543210 : 0);
        self.addProperty("HostName", "verifull-host");
        self.addProperty("DNSName", hasNetmap ? dnsName : "");
        self.addProperty("OS", "linux");
        self.addProperty("UserID", hasNetmap ? 2345678 : 0);
        self.add("TailscaleIPs", ips.deepCopy());
        self.addProperty("Online", state.equals("Running"));
        root.add("Self", self);
        JsonArray health = new JsonArray();
        if (state.equals("Stopped")) health.add("Tailscale is stopped.");
        root.add("Health", health);
        root.addProperty("MagicDNSSuffix", hasNetmap ? magicDnsSuffix : "");
        if (hasNetmap) {
            JsonObject t = new JsonObject();
            t.addProperty("Name", tailnet);
            t.addProperty("MagicDNSSuffix", magicDnsSuffix);
            t.addProperty("MagicDNSEnabled", true);
            root.add("CurrentTailnet", t);
            root.add("CertDomains", certDomains.isEmpty() ? JsonNull.INSTANCE : strings(certDomains));
            JsonObject users = new JsonObject();
            users.add("2345678", profile(2345678, selfLogin, selfDisplayName));
            root.add("User", users);
        } else {
            root.add("CurrentTailnet", JsonNull.INSTANCE);
            root.add("CertDomains", JsonNull.INSTANCE);
            root.add("User", JsonNull.INSTANCE);
        }
        root.add("Peer", JsonNull.INSTANCE);
        return GSON.toJson(root);
    }

    private static JsonArray strings(List<String> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    /**
     * The host part of whois's {@code addr}, canonical for IPv6 — except IPv4-mapped IPv6, kept
     * as sent: like tailscaled before 1.102, the fake does not unmap (the client must).
     */
    private static String normalize(String host) {
        if (!host.contains(":") || host.contains(".")) return host;
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (Exception e) {
            return host;
        }
    }

    private static String hostOf(String addr) {
        if (addr.startsWith("[")) {
            int end = addr.indexOf(']');
            return end < 0 ? addr : addr.substring(1, end);
        }
        long colons = addr.chars().filter(c -> c == ':').count();
        return colons == 1 ? PORT_SUFFIX.matcher(addr).replaceFirst("") : addr;
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            Map<String, String> headers = new LinkedHashMap<>();
            request.headers().forEach(h -> headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + ", " + b));
            Request seen = new Request(request.method().name(), request.uri(), Map.copyOf(headers));
            requests.add(seen);
            Answer answer = answer(seen);
            if (answer.delay().isZero()) {
                send(ctx, answer);
            } else {
                ctx.executor().schedule(() -> send(ctx, answer), answer.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        // The checks of Handler.ServeHTTP/validHost in ipn/localapi/localapi.go, then the routes.
        private Answer answer(Request r) {
            if (!validHost(r.header("host"))) return Answer.error(403, "invalid localapi request");
            if (r.header("origin") != null || r.header("referer") != null) return Answer.error(403, "invalid localapi request");
            if (token != null) {
                String auth = r.header("authorization");
                if (auth == null) return Answer.error(401, "auth required");
                if (!auth.equals("Basic " + Base64.getEncoder().encodeToString((":" + token).getBytes(StandardCharsets.UTF_8)))) {
                    return Answer.error(403, "bad password");
                }
            }
            String path = r.path();
            if (path.equals("/localapi/v0/status")) {
                Answer override = statusOverride;
                return override != null ? override : Answer.json(statusJson());
            }
            if (path.equals("/localapi/v0/whois")) {
                String addr = r.query("addr");
                if (addr == null || addr.isEmpty()) return Answer.error(400, "missing 'addr' parameter");
                Answer a = whois.get(normalize(hostOf(addr)));
                return a != null ? a : Answer.error(404, "no match for IP:port");
            }
            if (path.startsWith("/localapi/v0/cert/")) {
                if (!"pair".equals(r.query("type"))) return Answer.error(400, "this fake only serves type=pair");
                String domain = path.substring("/localapi/v0/cert/".length());
                Answer a = certs.get(domain);
                return a != null ? a : Answer.error(500, "invalid domain \"" + domain + "\"; must be one of " + certDomains);
            }
            return Answer.error(404, "404 page not found");
        }

        private boolean validHost(String host) {
            if (host == null || host.isEmpty() || host.equals(LocalApiRequests.HOST)) return true;
            if (token == null) return false;
            int port = port();
            return host.equals("127.0.0.1:" + port) || host.equals("localhost:" + port) || host.equals("[::1]:" + port);
        }

        private void send(ChannelHandlerContext ctx, Answer answer) {
            if (!ctx.channel().isActive()) return;
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(answer.status()),
                    Unpooled.copiedBuffer(answer.body(), StandardCharsets.UTF_8));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
            response.headers().set("Tailscale-Version", "1.102.3-tfake-gfake");
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            HttpUtil.setContentLength(response, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
