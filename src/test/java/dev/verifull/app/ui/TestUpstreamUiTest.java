package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import dev.verifull.app.MemoryProfileStorage;
import dev.verifull.app.TestTools;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Test upstream" against a real PostgreSQL 17 with TLS: the chain with the right CA, what failed with a wrong one. */
class TestUpstreamUiTest {
    @TempDir Path base;
    private FxHarness app;
    private Parent editor;
    private PgServer pg;
    private TestTools tools;

    @BeforeEach
    void start() throws Exception {
        pg = PgServer.shared(17, PgServer.Options.tls());
        tools = new TestTools(base);
        app = new FxHarness(base, new MemoryProfileStorage(), tools);
        app.fx(() -> app.window.actions().newProfile());
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
        app.fx(() -> {
            ((TextField) editor.lookup("#nameField")).setText("orders");
            ((TextField) editor.lookup("#hostField")).setText("localhost");
            ((TextField) editor.lookup("#portField")).setText(Integer.toString(pg.port()));
        });
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private boolean labelShown(String fragment) {
        java.util.function.Predicate<Node> shows = n -> n instanceof Label l && l.getText() != null && l.getText().contains(fragment);
        return app.robot.from(editor).lookup(shows).tryQuery().isPresent();
    }

    private void addCa(Path file) throws Exception {
        app.filesToPick.add(file);
        app.fx(() -> ((Button) editor.lookup("#addCaButton")).fire());
        app.waitUntil(() -> labelShown("SHA-256 "));
    }

    @Test
    void theRightCaShowsTheVerifiedChain() throws Exception {
        addCa(TestCa.shared().caFile());
        Button test = (Button) editor.lookup("#testButton");
        app.robot.clickOn(test);
        app.waitUntil(() -> editor.lookup("#test-ok") != null || editor.lookup("#test-failed") != null);
        Node result = editor.lookup("#test-ok");
        assertTrue(result != null, "verified");
        assertTrue(labelShown("✓ Verified: localhost:" + pg.port()));
        // the CA file as the user chose it, not the app-data copy's generated name
        String chosen = TestCa.shared().caFile().toAbsolutePath().toString();
        assertTrue(labelShown("The certificate chains to CA file " + chosen + " (a copy is kept in the app data: "),
                "names the user's own CA file");
        assertTrue(labelShown("TLSv1.3"), "the TLS version");
        assertTrue(labelShown("SERVER CERTIFICATE"));
        assertTrue(labelShown("Names: localhost, 127.0.0.1"), "the SANs");
        assertTrue(labelShown("Issuer: "));
        assertTrue(labelShown("Valid "));
        assertFalse(test.isDisabled());

        // the CA the chain was matched to, from the profile's CA file
        assertTrue(labelShown("MATCHED TO THIS TRUSTED CA"));
        assertTrue(app.robot.from(editor.lookup("#trust-anchor")).lookup((Node n) -> n instanceof Label l
                && l.getText().equals(CertificateViews_commonName(TestCa.shared().ca().certificate()))).tryQuery().isPresent(),
                "the trusted CA's name");
        assertTrue(app.robot.from(editor.lookup("#trust-anchor")).lookup((Node n) -> n instanceof Label l
                && l.getText().startsWith("From CA file " + chosen + " (a copy is kept")).tryQuery().isPresent(),
                "where the trusted CA came from, as the user knows it");

        // fingerprints wrap between bytes only: every piece is one whole byte (once laid out: the
        // labels above can change the layout, and a pulse may not have run yet)
        app.fx(() -> {
            editor.applyCss();
            editor.layout();
        });
        java.util.Set<javafx.scene.layout.FlowPane> prints = app.robot.from(editor).lookup(".fingerprint").queryAll();
        assertTrue(prints.size() >= 2, "the server's and the CA's");
        for (javafx.scene.layout.FlowPane print : prints) {
            assertEquals(32, print.getChildren().size());
            for (Node byteNode : print.getChildren()) {
                Label b = (Label) byteNode;
                assertTrue(b.getText().matches("[0-9A-F]{2}:?"), b.getText());
                assertTrue(b.getWidth() >= b.prefWidth(-1) - 0.5, "shown whole, not cut: " + b.getText() + " (" + b.getWidth() + " of " + b.prefWidth(-1) + ")");
            }
        }

        // copy the server certificate's fingerprint and PEM
        var server = dev.verifull.tls.CertificateSummary.of(TestCa.shared().server().certificate());
        app.robot.clickOn((Node) editor.lookup("#copy-fingerprint-chain-0"));
        app.waitUntil(() -> server.sha256Fingerprint().equals(javafx.scene.input.Clipboard.getSystemClipboard().getString()));
        app.robot.clickOn((Node) editor.lookup("#copy-pem-chain-0"));
        app.waitUntil(() -> server.pem().equals(javafx.scene.input.Clipboard.getSystemClipboard().getString()));
        String pem = app.fx(() -> javafx.scene.input.Clipboard.getSystemClipboard().getString());
        assertEquals(TestCa.shared().server().certificate(), java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
    }

    private static String CertificateViews_commonName(java.security.cert.X509Certificate c) {
        String dn = c.getSubjectX500Principal().getName();
        return dn.substring(dn.indexOf("CN=") + 3).split(",")[0];
    }

    @Test
    void aNameMismatchOffersEachNameOfTheCertificateAsTheServerName() throws Exception {
        addCa(TestCa.shared().caFile());
        app.fx(() -> ((TextField) editor.lookup("#serverNameField")).setText("db.example.com"));
        app.robot.clickOn("#testButton");
        app.waitUntil(() -> editor.lookup("#test-failed") != null);
        assertTrue(labelShown("name mismatch"));
        assertTrue(labelShown("WHAT THE SERVER SENT"), "the chain of a failed test too");
        Button use = (Button) editor.lookup("#use-name-0");
        assertEquals("Use localhost as the server name", use.getText());
        assertEquals("Use 127.0.0.1 as the server name", ((Button) editor.lookup("#use-name-1")).getText());
        int before = tools.testsRun.get();
        app.robot.clickOn(use);
        app.waitUntil(() -> "localhost".equals(((TextField) editor.lookup("#serverNameField")).getText()));
        app.waitUntil(() -> editor.lookup("#test-ok") != null);
        assertEquals(before + 1, tools.testsRun.get(), "tested again with the name");
        assertTrue(labelShown("✓ Verified"));
    }

    @Test
    void aWrongCaSaysWhatFailedAndWhatToCheckWithoutBlockingTheWindow() throws Exception {
        Path wrong = TestPki.rootCa("Someone Else's Root").writeCertificate(base.resolve("wrong-ca.pem"));
        addCa(wrong);
        app.robot.clickOn("#testButton");
        // the window stays usable while the test runs: typing goes on
        app.robot.clickOn("#nameField").write("-eu");
        app.waitUntil(() -> "orders-eu".equals(((TextField) editor.lookup("#nameField")).getText()));
        app.waitUntil(() -> editor.lookup("#test-failed") != null);
        assertTrue(labelShown("not trusted") || labelShown("untrusted") || labelShown("does not chain"),
                "the failure says the certificate is not trusted");
        assertTrue(labelShown("which is not a CA in CA file " + wrong.toAbsolutePath() + " (a copy is kept in the app data: "),
                "the refusal names the file the user chose");
        assertTrue(labelShown("Check: "), "names the file to check");
    }
}
