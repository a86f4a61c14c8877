package dev.verifull.engine.pg;

import static dev.verifull.engine.pg.StartupPhase.AWAITING_ADMISSION;
import static dev.verifull.engine.pg.StartupPhase.AWAITING_STARTUP;
import static dev.verifull.engine.pg.StartupPhase.CLOSED;
import static dev.verifull.engine.pg.StartupPhase.CONNECTING_UPSTREAM;
import static dev.verifull.engine.pg.StartupPhase.FORWARDING_CANCEL;
import static dev.verifull.engine.pg.StartupPhase.GSS_DECLINED;
import static dev.verifull.engine.pg.StartupPhase.NEGOTIATING;
import static dev.verifull.engine.pg.StartupPhase.REFUSING;
import static dev.verifull.engine.pg.StartupPhase.RELAYING;
import static dev.verifull.engine.pg.StartupPhase.TLS_HANDSHAKE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.verifull.engine.Admission;
import dev.verifull.engine.CancelKeys;
import dev.verifull.engine.ClientTransport;
import dev.verifull.engine.EngineConfig;
import dev.verifull.engine.EngineContext;
import dev.verifull.engine.PeerIdentity;
import dev.verifull.engine.Refusal;
import dev.verifull.engine.RefusalReason;
import dev.verifull.engine.Session;
import dev.verifull.engine.SessionEvent;
import dev.verifull.engine.SessionRegistry;
import dev.verifull.testing.EngineHarness;
import dev.verifull.tls.ClientTls;
import dev.verifull.tls.LocalCa;
import dev.verifull.tls.TlsProvider;
import dev.verifull.tls.UpstreamTls;
import dev.verifull.tls.UpstreamTlsSettings;
import dev.verifull.upstream.UpstreamVerifier;
import dev.verifull.wire.ErrorResponse;
import dev.verifull.wire.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The startup phase byte by byte, without sockets: every phase of {@link StartupPhase} meets
 * every kind of client input, on Netty's {@link EmbeddedChannel} (TLS through a client-side
 * SslHandler pumped by hand, upstream legs settled by the test). The real-socket tests
 * (ClientProtocolTest, AdmissionOrderTest, StartupFloodTest, ...) prove the same end to end.
 */
class StartupPhaseMachineTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final byte[] SSL_REQUEST = {0, 0, 0, 8, 4, (byte) 210, 22, 47};
    private static final byte[] GSSENC_REQUEST = {0, 0, 0, 8, 4, (byte) 210, 22, 48};

    @TempDir
    static Path dir;
    static SslContext serverTls;
    static SslContext clientTls;
    static SslContext directClientTls;
    static UpstreamTls upstreamTls;

    private final List<Client> clients = new ArrayList<>();

    @BeforeAll
    static void tls() throws Exception {
        LocalCa ca = LocalCa.loadOrCreate(dir.resolve("local-ca"));
        serverTls = ClientTls.serverContext(ca.issueServerCertificate(List.of("localhost"),
                List.of(InetAddress.getLoopbackAddress())), TlsProvider.JDK);
        clientTls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        directClientTls = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, "postgresql"))
                .build();
        upstreamTls = UpstreamTls.create(new UpstreamTlsSettings(List.of(), true, null, null, false, TlsProvider.JDK));
    }

    @AfterEach
    void release() {
        for (Client c : clients) c.finish();
    }

    // ---------------------------------------------------------------- every phase x every input

    enum Input { SSL_REQUEST, GSSENC_REQUEST, TLS_CLIENT_HELLO, CANCEL_REQUEST, STARTUP_3_0, STARTUP_3_2, GARBAGE,
        OVERSIZED_LENGTH, TRUNCATED_PACKET, EARLY_CLOSE, TIMEOUT }

    /**
     * @param reply  what the client reads: "" nothing, "S" / "N", or "SQLSTATE words" of an ErrorResponse
     * @param record how the session record ends: "" still going, "REFUSED reason-code", "END outcome"
     */
    record Expect(StartupPhase phase, String reply, String record) {}

    private static Expect stays(StartupPhase p) {
        return new Expect(p, "", "");
    }

    private static Expect refused(String reply, String reason) {
        return new Expect(CLOSED, reply, "REFUSED " + reason);
    }

    private static final Expect ABANDONED = new Expect(CLOSED, "", "END abandoned");
    private static final Expect CANCEL_DROPPED = new Expect(CLOSED, "", "END cancel_ignored");
    private static final Expect TIMED_OUT = refused("08P01 no complete startup message within 10 s", "client-timeout");
    private static final Expect BAD_PACKET = refused("08P01 invalid startup packet: unsupported protocol version", "client-protocol");
    private static final Expect TOO_LONG = refused("08P01 invalid startup packet: startup packet length", "client-protocol");
    private static final Expect NOT_TLS = refused("", "client-tls");

    static Stream<Arguments> everyPhaseTimesEveryInput() {
        Map<StartupPhase, Map<Input, Expect>> table = new LinkedHashMap<>();
        Map<Input, Expect> admission = new LinkedHashMap<>();
        for (Input i : Input.values()) admission.put(i, stays(AWAITING_ADMISSION)); // bytes wait for the answer
        admission.put(Input.EARLY_CLOSE, ABANDONED);
        admission.put(Input.TIMEOUT, TIMED_OUT);
        table.put(AWAITING_ADMISSION, admission);

        table.put(NEGOTIATING, row(new Expect(TLS_HANDSHAKE, "S", ""), new Expect(GSS_DECLINED, "N", ""),
                stays(AWAITING_STARTUP), CANCEL_DROPPED, stays(CONNECTING_UPSTREAM), stays(CONNECTING_UPSTREAM),
                BAD_PACKET, TOO_LONG, stays(NEGOTIATING), ABANDONED, TIMED_OUT));
        table.put(GSS_DECLINED, row(new Expect(TLS_HANDSHAKE, "S", ""),
                refused("08P01 GSSENCRequest received after encryption was already negotiated", "client-protocol"),
                TOO_LONG, CANCEL_DROPPED, stays(CONNECTING_UPSTREAM), stays(CONNECTING_UPSTREAM),
                BAD_PACKET, TOO_LONG, stays(GSS_DECLINED), ABANDONED, TIMED_OUT));
        // Plaintext where the TLS handler expects records: the handshake fails; nothing can be told.
        table.put(TLS_HANDSHAKE, row(NOT_TLS, NOT_TLS, stays(AWAITING_STARTUP), NOT_TLS, NOT_TLS, NOT_TLS, NOT_TLS,
                NOT_TLS, stays(TLS_HANDSHAKE), ABANDONED, refused("", "client-timeout")));
        table.put(AWAITING_STARTUP, row(refused("08P01 SSLRequest received inside TLS", "client-protocol"),
                refused("08P01 GSSENCRequest received after encryption was already negotiated", "client-protocol"),
                TOO_LONG, CANCEL_DROPPED, stays(CONNECTING_UPSTREAM), stays(CONNECTING_UPSTREAM),
                BAD_PACKET, TOO_LONG, stays(AWAITING_STARTUP), ABANDONED, TIMED_OUT));
        // The StartupMessage is in: reading is off, the handshake timer stopped, the upstream has its own deadline.
        Map<Input, Expect> connecting = new LinkedHashMap<>();
        for (Input i : Input.values()) connecting.put(i, stays(CONNECTING_UPSTREAM));
        connecting.put(Input.EARLY_CLOSE, ABANDONED);
        table.put(CONNECTING_UPSTREAM, connecting);

        List<Arguments> out = new ArrayList<>();
        table.forEach((phase, inputs) -> inputs.forEach((input, expect) -> out.add(Arguments.of(phase, input, expect))));
        return out.stream();
    }

    private static Map<Input, Expect> row(Expect... byInput) {
        Map<Input, Expect> m = new LinkedHashMap<>();
        for (Input i : Input.values()) m.put(i, byInput[i.ordinal()]);
        return m;
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyPhaseTimesEveryInput")
    void inputInPhase(StartupPhase phase, Input input, Expect expect) throws Exception {
        Engine engine = new Engine(5, 64, 16);
        if (phase == AWAITING_ADMISSION) engine.admission = remote -> new CompletableFuture<>(); // never answers
        Client c = engine.connect("10.0.0.1");
        c.into(phase);
        c.received(); // what getting there produced ('S', 'N') is not this row's business
        c.send(input);

        assertEquals(expect.phase(), c.phase(), "phase");
        String reply = c.reply();
        assertTrue(expect.reply().isEmpty() ? reply.isEmpty() : reply.startsWith(expect.reply()),
                "expected the client to read [" + expect.reply() + "] but it read [" + reply + "]");
        assertEquals(expect.record(), engine.recordOf(c), "session record");
        if (!expect.phase().unfinished() || expect.phase() == CLOSED) {
            assertEquals(0, engine.pool.size(), "a connection past its startup phase left the pool");
        }
    }

    // ---------------------------------------------------------------- the ways out of CONNECTING_UPSTREAM

    @Test
    void aVerifiedUpstreamGetsTheStartupMessageByteForByteAndTheHandlerStepsAside() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        Client c = engine.connect("10.0.0.1");
        c.into(NEGOTIATING);
        byte[] startup = startup(StartupMessage.PROTOCOL_3_2, "alice", "orders");
        c.send(concat(startup, new byte[] {'p', 0, 0, 0, 4})); // and something after it
        assertEquals(CONNECTING_UPSTREAM, c.phase());
        EmbeddedChannel up = engine.upstreams.verify(engine.upstreams.forSession.get(0));
        c.ch.runPendingTasks();

        assertEquals(RELAYING, c.phase());
        assertNull(c.ch.pipeline().get(ClientStartupHandler.NAME), "the relay took over");
        assertArrayEquals(concat(startup, new byte[] {'p', 0, 0, 0, 4}), drain(up), "forwarded unchanged, then the rest");
        SessionEvent start = engine.events.get(0);
        assertEquals(SessionEvent.Type.START, start.type());
        assertEquals("3.2", start.record().protocolVersion());
        assertEquals("alice", start.record().user());
        up.finishAndReleaseAll();
    }

    @Test
    void bytesThatArriveWhileTheUpstreamIsConnectedFollowTheStartupMessage() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        Client c = engine.connect("10.0.0.1");
        c.into(AWAITING_STARTUP);
        byte[] startup = startup(StartupMessage.PROTOCOL_3_0, "alice", "orders");
        c.send(startup);
        assertEquals(CONNECTING_UPSTREAM, c.phase());
        byte[] more = {'p', 0, 0, 0, 4};
        c.send(more); // a second TLS record, read before reading stopped
        EmbeddedChannel up = engine.upstreams.verify(engine.upstreams.speculative.get(0));
        c.ch.runPendingTasks();
        assertEquals(RELAYING, c.phase());
        assertArrayEquals(concat(startup, more), drain(up), "nothing the client sent is lost");
        up.finishAndReleaseAll();
    }

    @Test
    void anUpstreamRefusalIsToldToTheClient() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        Client c = engine.connect("10.0.0.1");
        c.into(CONNECTING_UPSTREAM);
        engine.upstreams.forSession.get(0).fail(Refusal.of(RefusalReason.HOSTNAME_MISMATCH, "upstream db:5432: wrong name", "Check."));
        c.ch.runPendingTasks();
        assertEquals(CLOSED, c.phase());
        assertReply(c, "08001 upstream db:5432: wrong name");
        assertEquals("REFUSED hostname-mismatch", engine.recordOf(c));
    }

    @Test
    void aClientGoneWhileConnectingReleasesTheUpstream() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        Client c = engine.connect("10.0.0.1");
        c.into(CONNECTING_UPSTREAM);
        UpstreamLeg leg = engine.upstreams.forSession.get(0);
        c.ch.close();
        c.ch.runPendingTasks();
        EmbeddedChannel up = engine.upstreams.verify(leg); // verification finishing late
        assertFalse(leg.usable(), "the leg was closed with the client");
        assertFalse(up.isOpen() && up.outboundMessages().size() > 0, "nothing was sent upstream");
        up.finishAndReleaseAll();
    }

    // ---------------------------------------------------------------- session slots and the startup pool

    @Test
    void unfinishedConnectionsTakeNoSessionSlot() throws Exception {
        Engine engine = new Engine(1, 64, 64);
        List<Client> idle = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Client c = engine.connect("10.0.0." + (i + 1));
            c.into(i % 2 == 0 ? NEGOTIATING : TLS_HANDSHAKE);
            idle.add(c);
        }
        Client first = engine.connect("10.0.1.1");
        first.into(CONNECTING_UPSTREAM);
        assertEquals(1, engine.sessions.slotsTaken());

        Client second = engine.connect("10.0.1.2");
        second.into(NEGOTIATING);
        second.send(Input.STARTUP_3_0);
        assertEquals(CLOSED, second.phase());
        assertReply(second, "53300 too many sessions on 'embedded' (limit 1)");

        first.ch.close(); // the slot comes back once the session ends
        first.ch.runPendingTasks();
        Client third = engine.connect("10.0.1.3");
        third.into(CONNECTING_UPSTREAM);
        for (Client c : idle) assertTrue(c.phase().unfinished(), "the idle ones are still there");
    }

    @Test
    void aFullPoolDropsThatAddressesOldestNotTheNewcomer() throws Exception {
        Engine engine = new Engine(5, 4, 2);
        Client oldest = engine.connect("10.0.0.1");
        oldest.into(NEGOTIATING);
        Client middle = engine.connect("10.0.0.1");
        middle.into(NEGOTIATING);
        Client other = engine.connect("10.0.0.9");
        other.into(NEGOTIATING);
        Client newcomer = engine.connect("10.0.0.1");
        newcomer.into(NEGOTIATING);

        assertEquals(CLOSED, oldest.phase());
        assertReply(oldest, "53300 too many connections to 'embedded' are still in their startup phase"
                + " (limit 4, 2 from one address); this one was the oldest and was dropped");
        assertEquals("REFUSED too-many-startups", engine.recordOf(oldest));
        for (Client c : List.of(middle, other, newcomer)) assertEquals(NEGOTIATING, c.phase());
        assertEquals(2, engine.pool.size(InetAddress.getByName("10.0.0.1")));
    }

    @Test
    void aFullEnginePoolDropsTheOldestOfAll() throws Exception {
        Engine engine = new Engine(5, 3, 2);
        engine.admission = remote -> new CompletableFuture<>(); // never answers
        Client a = engine.connect("10.0.0.1");
        a.into(AWAITING_ADMISSION);
        engine.admission = dev.verifull.engine.ClientAdmission.ANYONE;
        Client b = engine.connect("10.0.0.2");
        b.into(TLS_HANDSHAKE);
        b.received(); // its 'S'

        Client c = engine.connect("10.0.0.3");
        c.into(NEGOTIATING);
        Client d = engine.connect("10.0.0.4");
        d.into(NEGOTIATING);
        assertEquals(CLOSED, a.phase());
        assertEquals("", a.reply(), "not yet identified: closed without a word");
        assertEquals("REFUSED too-many-startups", engine.recordOf(a));

        Client e = engine.connect("10.0.0.5");
        e.into(NEGOTIATING);
        assertEquals(CLOSED, b.phase());
        assertEquals("", b.reply(), "in its TLS handshake it could not read an error: closed");
        assertEquals(NEGOTIATING, c.phase());
        assertEquals(3, engine.pool.size());
    }

    @Test
    void aConnectionPastItsStartupMessageIsNeverDropped() throws Exception {
        Engine engine = new Engine(5, 2, 2);
        Client session = engine.connect("10.0.0.1");
        session.into(CONNECTING_UPSTREAM);
        Client cancel = engine.connect("10.0.0.1");
        cancel.into(NEGOTIATING);
        engine.cancelKeys.register(77, new byte[] {1, 2, 3, 4}, 1234);
        cancel.send(cancelRequest(77, new byte[] {1, 2, 3, 4}));
        assertEquals(FORWARDING_CANCEL, cancel.phase());
        for (int i = 0; i < 5; i++) engine.connect("10.0.0.1").into(NEGOTIATING);
        assertEquals(CONNECTING_UPSTREAM, session.phase());
        assertEquals(FORWARDING_CANCEL, cancel.phase());
        assertEquals(2, engine.pool.size());
    }

    // ---------------------------------------------------------------- upstream legs: when and how many

    @Test
    void anUpstreamIsOpenedOnlyOnceTheClientShowsItIsAboutToLogIn() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        Client idle = engine.connect("10.0.0.1");
        idle.into(NEGOTIATING);
        Client gss = engine.connect("10.0.0.2");
        gss.into(GSS_DECLINED);
        assertEquals(0, engine.upstreams.opened(), "accepting, admitting and GSSENCRequest open nothing");

        Client tls = engine.connect("10.0.0.3");
        tls.into(TLS_HANDSHAKE);
        assertEquals(1, engine.upstreams.speculative.size(), "an SSLRequest: one speculative leg");
        tls.into(CONNECTING_UPSTREAM);
        assertEquals(0, engine.upstreams.forSession.size(), "the StartupMessage claims the speculative leg");

        Client plain = engine.connect("10.0.0.4");
        plain.into(CONNECTING_UPSTREAM);
        assertEquals(1, engine.upstreams.forSession.size(), "a plaintext StartupMessage: a leg of its own");
        assertEquals(1, engine.upstreams.speculative.size());
    }

    @Test
    void noSpeculativeLegWhenTheEngineHasEnoughOut() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        engine.upstreams.speculationAllowed = false;
        Client c = engine.connect("10.0.0.1");
        c.into(TLS_HANDSHAKE);
        c.into(CONNECTING_UPSTREAM);
        assertEquals(1, engine.upstreams.forSession.size(), "connected once the StartupMessage came");
    }

    @Test
    void noSpeculativeLegWhileEverySessionSlotIsTaken() throws Exception {
        Engine engine = new Engine(1, 64, 16);
        engine.connect("10.0.0.1").into(CONNECTING_UPSTREAM);
        Client c = engine.connect("10.0.0.2");
        c.into(TLS_HANDSHAKE);
        assertEquals(0, engine.upstreams.speculative.size(), "it would be refused at its StartupMessage");
    }

    @Test
    void aRefusedPeerNeverCausesAnUpstreamConnection() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        engine.admission = remote -> CompletableFuture.completedFuture(Admission.deny(PeerIdentity.UNKNOWN, "denied: test",
                Refusal.of(RefusalReason.ACCESS_DENIED, "access denied: not you", "Ask.")));
        Client c = engine.connect("10.0.0.1");
        c.into(AWAITING_STARTUP); // a refused peer is still answered 'S' and gets its TLS
        assertEquals("S", c.reply());
        c.send(Input.STARTUP_3_0);
        assertEquals(CLOSED, c.phase());
        assertReply(c, "28000 access denied: not you");
        Client cancel = engine.connect("10.0.0.1");
        cancel.into(NEGOTIATING);
        engine.cancelKeys.register(5, new byte[] {9, 9, 9, 9}, 1);
        cancel.send(cancelRequest(5, new byte[] {9, 9, 9, 9}));
        assertEquals(CLOSED, cancel.phase());
        assertEquals("REFUSED access-denied", engine.recordOf(cancel));
        assertEquals(0, engine.upstreams.opened(), "no leg of any kind");
    }

    @Test
    void aKnownCancelKeyIsForwardedOverTheVerifiedLeg() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        engine.cancelKeys.register(4242, new byte[] {1, 2, 3, 4}, 99);
        Client c = engine.connect("10.0.0.1");
        c.into(NEGOTIATING);
        byte[] cancel = cancelRequest(4242, new byte[] {1, 2, 3, 4});
        c.send(cancel);
        assertEquals(FORWARDING_CANCEL, c.phase());
        EmbeddedChannel up = engine.upstreams.verify(engine.upstreams.forCancel.get(0));
        c.ch.runPendingTasks();
        assertArrayEquals(cancel, drain(up));
        assertEquals(CLOSED, c.phase());
        assertEquals("", c.reply(), "no reply to a cancel request");
        assertEquals("END cancel_forwarded", engine.recordOf(c));
        up.finishAndReleaseAll();
    }

    // ---------------------------------------------------------------- details of single phases

    @Test
    void bytesAfterTheSslRequestAreRefusedAsInjected() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        Client c = engine.connect("10.0.0.1");
        c.into(NEGOTIATING);
        c.send(concat(SSL_REQUEST, startup(StartupMessage.PROTOCOL_3_0, "x", "y")));
        assertEquals(CLOSED, c.phase());
        assertReply(c, "08P01 unencrypted data received after the SSLRequest");
    }

    @Test
    void bytesBeforeTheAdmissionAnswersWaitForIt() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        CompletableFuture<Admission> answer = new CompletableFuture<>();
        engine.admission = remote -> answer;
        Client c = engine.connect("10.0.0.1");
        c.send(SSL_REQUEST);
        assertEquals(AWAITING_ADMISSION, c.phase());
        assertEquals("", c.reply());
        answer.complete(Admission.allow(PeerIdentity.UNKNOWN, "later"));
        c.ch.runPendingTasks();
        assertEquals(TLS_HANDSHAKE, c.phase());
        assertEquals("S", c.reply());
    }

    @Test
    void directTlsRecordsItsTransportAndNeedsAlpn() throws Exception {
        Engine engine = new Engine(5, 64, 16);
        Client direct = engine.connect("10.0.0.1");
        direct.into(AWAITING_STARTUP, true);
        direct.send(Input.STARTUP_3_0);
        assertEquals(ClientTransport.DIRECT_TLS, engine.sessionOf(direct).clientTransport());

        Client noAlpn = engine.connect("10.0.0.2");
        noAlpn.into(NEGOTIATING);
        noAlpn.startTls(clientTls); // a ClientHello first, but without ALPN
        assertEquals(CLOSED, noAlpn.phase());
        assertReply(noAlpn, "08P01 direct TLS connections must negotiate the ALPN protocol");
    }

    @Test
    void theTransitionsAreTheDocumentedOnes() {
        for (StartupPhase from : StartupPhase.values()) {
            for (StartupPhase to : StartupPhase.values()) {
                boolean allowed = from.canMoveTo(to);
                if (to == CLOSED) assertEquals(from != CLOSED, allowed, from + " -> CLOSED");
                if (from == CLOSED) assertFalse(allowed, "CLOSED is the end");
                if (to.unfinished() && to.compareTo(from) <= 0) assertFalse(allowed, from + " -> " + to + " goes back");
                if (!from.unfinished() && to != CLOSED && !(from == CONNECTING_UPSTREAM && (to == RELAYING || to == REFUSING))) {
                    assertFalse(allowed, from + " -> " + to + ": past the startup phase only the way out");
                }
            }
        }
        assertEquals(EnumSet.of(AWAITING_ADMISSION, NEGOTIATING, GSS_DECLINED, StartupPhase.TLS_DECLINED, TLS_HANDSHAKE, AWAITING_STARTUP),
                EnumSet.copyOf(Stream.of(StartupPhase.values()).filter(StartupPhase::unfinished).toList()));
    }

    // ---------------------------------------------------------------- the rig

    /** One engine's shared parts, with legs the test settles and an admission it may replace. */
    final class Engine {
        final SessionRegistry sessions = new SessionRegistry("embedded", Clock.systemUTC());
        final CancelKeys cancelKeys = new CancelKeys();
        final List<SessionEvent> events = new CopyOnWriteArrayList<>();
        final FakeUpstreams upstreams = new FakeUpstreams();
        final StartupPool pool;
        final EngineContext context;
        volatile dev.verifull.engine.ClientAdmission admission = dev.verifull.engine.ClientAdmission.ANYONE;

        Engine(int maxSessions, int poolPerEngine, int poolPerPeer) {
            EngineConfig config = new EngineConfig("embedded", List.of(), "db.example", 5432, null, false, upstreamTls,
                    serverTls, maxSessions, TIMEOUT, Duration.ofSeconds(5), 0, remote -> admission.admit(remote));
            context = new EngineContext(config, sessions, cancelKeys, EngineHarness.transport(), Runnable::run, Clock.systemUTC());
            upstreams.engine = context;
            pool = new StartupPool(poolPerEngine, poolPerPeer);
            sessions.addListener(events::add);
        }

        Client connect(String ip) throws Exception {
            Client c = new Client(this, new InetSocketAddress(InetAddress.getByName(ip), 40000 + clients.size()));
            clients.add(c);
            return c;
        }

        Session sessionOf(Client c) {
            return c.handler.session();
        }

        /** "" while live; "REFUSED reason" or "END outcome" once the record ended. */
        String recordOf(Client c) {
            long id = sessionOf(c).id();
            for (SessionEvent e : events) {
                if (e.record().id() != id) continue;
                if (e.type() == SessionEvent.Type.REFUSED) return "REFUSED " + e.record().refusalReason().code();
                if (e.type() == SessionEvent.Type.END) return "END " + e.record().outcome().name().toLowerCase();
            }
            return "";
        }
    }

    /** Legs that never connect: the test verifies or fails them. */
    static final class FakeUpstreams implements UpstreamSource {
        EngineContext engine;
        boolean speculationAllowed = true;
        final List<UpstreamLeg> speculative = new ArrayList<>();
        final List<UpstreamLeg> forSession = new ArrayList<>();
        final List<UpstreamLeg> forCancel = new ArrayList<>();

        @Override
        public UpstreamLeg speculative(Session session, EventLoop loop) {
            if (!speculationAllowed) return null;
            UpstreamLeg leg = new UpstreamLeg(engine, session, loop);
            speculative.add(leg);
            return leg;
        }

        @Override
        public UpstreamLeg forSession(Session session, EventLoop loop) {
            UpstreamLeg leg = new UpstreamLeg(engine, session, loop);
            forSession.add(leg);
            return leg;
        }

        @Override
        public UpstreamLeg forCancel(Session session, EventLoop loop) {
            UpstreamLeg leg = new UpstreamLeg(engine, session, loop);
            forCancel.add(leg);
            return leg;
        }

        int opened() {
            return speculative.size() + forSession.size() + forCancel.size();
        }

        /** Settles the leg as verified on a channel of its own, which records what is written to it. */
        EmbeddedChannel verify(UpstreamLeg leg) {
            EmbeddedChannel up = new EmbeddedChannel();
            up.pipeline().addLast(UpstreamVerifier.IDLE_WATCH, new ChannelInboundHandlerAdapter());
            leg.verified(up, null);
            return up;
        }
    }

    /** One client connection on an EmbeddedChannel, with an optional client-side TLS handler pumped by hand. */
    final class Client {
        final Engine engine;
        final EmbeddedChannel ch;
        final ClientStartupHandler handler;
        private EmbeddedChannel tls;
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();

        Client(Engine engine, InetSocketAddress remote) throws Exception {
            this.engine = engine;
            this.handler = new ClientStartupHandler(engine.context, engine.upstreams, engine.pool);
            this.ch = new EmbeddedChannel(false, false, handler) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return remote;
                }
            };
            ch.register(); // channelActive: the session opens, the admission is asked
        }

        /** The phase once this connection's event loop has run what is queued for it (e.g. being dropped). */
        StartupPhase phase() {
            ch.runPendingTasks();
            return handler.phase();
        }

        /** Brings a fresh connection to {@code target} the ordinary way (NEGOTIATING first unless AWAITING_ADMISSION). */
        void into(StartupPhase target) throws Exception {
            into(target, false);
        }

        void into(StartupPhase target, boolean directTls) throws Exception {
            if (target == AWAITING_ADMISSION) {
                assertEquals(AWAITING_ADMISSION, phase(), "the admission has not answered");
                return;
            }
            assertNotEquals(AWAITING_ADMISSION, phase(), "the admission answered");
            switch (target) {
                case NEGOTIATING -> { }
                case GSS_DECLINED -> send(GSSENC_REQUEST);
                case TLS_HANDSHAKE -> send(SSL_REQUEST);
                case AWAITING_STARTUP -> {
                    if (directTls) {
                        startTls(directClientTls);
                    } else {
                        if (phase() == NEGOTIATING) send(SSL_REQUEST);
                        startTls(clientTls);
                    }
                }
                case CONNECTING_UPSTREAM -> {
                    if (phase() == TLS_HANDSHAKE) startTls(clientTls);
                    send(Input.STARTUP_3_0);
                }
                default -> throw new IllegalArgumentException("not a phase to bring a client into: " + target);
            }
            assertEquals(target, phase(), "getting into " + target);
        }

        /** Starts the client's TLS handshake (after 'S', or as direct TLS) and pumps it to the end. */
        void startTls(SslContext context) {
            collectPlaintext();
            tls = new EmbeddedChannel(context.newHandler(ByteBufAllocator.DEFAULT, "localhost", 5432));
            pump();
        }

        void send(Input input) throws Exception {
            switch (input) {
                case SSL_REQUEST -> send(SSL_REQUEST);
                case GSSENC_REQUEST -> send(GSSENC_REQUEST);
                case TLS_CLIENT_HELLO -> {
                    if (tls == null && phase() == NEGOTIATING) startTls(directClientTls); // direct TLS
                    else if (tls == null && phase() == TLS_HANDSHAKE) startTls(clientTls); // after 'S'
                    else send(clientHello()); // a ClientHello's bytes where none belongs: plaintext, or inside TLS
                }
                case CANCEL_REQUEST -> send(cancelRequest(4711, new byte[] {5, 6, 7, 8}));
                case STARTUP_3_0 -> send(startup(StartupMessage.PROTOCOL_3_0, "alice", "orders"));
                case STARTUP_3_2 -> send(startup(StartupMessage.PROTOCOL_3_2, "alice", "orders"));
                case GARBAGE -> send(new byte[] {0, 0, 0, 16, 0x12, 0x34, 0x56, 0x78, 1, 2, 3, 4, 5, 6, 7, 8});
                case OVERSIZED_LENGTH -> send(ByteBuffer.allocate(8).putInt(1_000_000).putInt(StartupMessage.PROTOCOL_3_0).array());
                case TRUNCATED_PACKET -> {
                    if (phase() == TLS_HANDSHAKE) send(new byte[] {0x16, 0x03, 0x01}); // part of a TLS record header
                    else send(new byte[] {0, 0, 0, 40, 0, 3}); // part of a StartupMessage
                }
                case EARLY_CLOSE -> {
                    ch.close();
                    ch.runPendingTasks();
                }
                case TIMEOUT -> {
                    ch.advanceTimeBy(TIMEOUT.toMillis() + 2_500, TimeUnit.MILLISECONDS); // and the 2 s linger
                    ch.runScheduledPendingTasks();
                    ch.runPendingTasks();
                    ch.runScheduledPendingTasks();
                    if (tls != null) pump();
                }
            }
        }

        void send(byte[] bytes) {
            if (tls != null && tlsUp()) {
                tls.writeOutbound(Unpooled.wrappedBuffer(bytes));
                pump();
            } else {
                ch.writeInbound(Unpooled.wrappedBuffer(bytes));
                ch.runPendingTasks();
                if (tls != null) pump();
            }
        }

        private boolean tlsUp() {
            return tls.pipeline().get(SslHandler.class).handshakeFuture().isSuccess();
        }

        /** Moves bytes both ways until neither side has more. */
        private void pump() {
            boolean moved = true;
            while (moved) {
                moved = false;
                for (ByteBuf b; (b = tls.readOutbound()) != null; moved = true) {
                    if (ch.isOpen()) ch.writeInbound(b);
                    else b.release();
                }
                ch.runPendingTasks();
                for (ByteBuf b; (b = ch.readOutbound()) != null; moved = true) tls.writeInbound(b);
                tls.runPendingTasks();
            }
            for (ByteBuf b; (b = tls.readInbound()) != null; ) take(b);
        }

        private void collectPlaintext() {
            ch.runPendingTasks();
            for (ByteBuf b; (b = ch.readOutbound()) != null; ) take(b);
        }

        private void take(ByteBuf b) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            received.writeBytes(bytes);
        }

        /** Everything the client read so far (and forgets it). */
        byte[] received() {
            if (tls != null) pump();
            else collectPlaintext();
            byte[] out = received.toByteArray();
            received.reset();
            return out;
        }

        /** What the client read, in short: "", "S", "N", or "SQLSTATE message" of an ErrorResponse (without "verifull: "). */
        String reply() {
            byte[] got = received();
            if (got.length == 0) return "";
            if (got[0] != 'E') return new String(got, java.nio.charset.StandardCharsets.ISO_8859_1);
            int length = ByteBuffer.wrap(got, 1, 4).getInt();
            ByteBuf body = Unpooled.wrappedBuffer(got, 5, length - 4);
            try {
                ErrorResponse e = ErrorResponse.decodeBody(body);
                return e.sqlState() + " " + e.message().replaceFirst("^verifull: ", "");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        void finish() {
            ch.finishAndReleaseAll();
            if (tls != null) tls.finishAndReleaseAll();
        }
    }

    private static void assertReply(Client c, String start) {
        String reply = c.reply();
        assertTrue(reply.startsWith(start), "expected [" + start + "...] but the client read [" + reply + "]");
    }

    private static byte[] clientHello() {
        EmbeddedChannel c = new EmbeddedChannel(directClientTls.newHandler(ByteBufAllocator.DEFAULT, "localhost", 5432));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = c.readOutbound()) != null; ) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        c.finishAndReleaseAll();
        return out.toByteArray();
    }

    static byte[] startup(int protocol, String user, String database) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", user);
        params.put("database", database);
        ByteBuf b = StartupMessage.of(protocol, params).encode(ByteBufAllocator.DEFAULT);
        try {
            byte[] out = new byte[b.readableBytes()];
            b.readBytes(out);
            return out;
        } finally {
            b.release();
        }
    }

    static byte[] cancelRequest(int pid, byte[] key) {
        return ByteBuffer.allocate(12 + key.length).putInt(12 + key.length).putInt(80877102).putInt(pid).put(key).array();
    }

    private static byte[] drain(EmbeddedChannel up) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = up.readOutbound()) != null; ) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
