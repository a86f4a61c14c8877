package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.MemoryProfileStorage;
import dev.verifull.app.TestTools;
import dev.verifull.testing.PgServer;
import dev.verifull.testing.TestCa;
import dev.verifull.testing.TestPki;

/** "Test upstream" against a real PostgreSQL 17 with TLS: the chain with the right CA, what failed with a wrong one. */
class TestUpstreamUiTest {
    @TempDir Path base;
    private FxHarness app;
    private Parent editor;
    private PgServer pg;

    @BeforeEach
    void start() throws Exception {
        pg = PgServer.shared(17, PgServer.Options.tls());
        app = new FxHarness(base, new MemoryProfileStorage(), new TestTools(base));
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
        assertTrue(labelShown("TLSv1.3"), "the TLS version");
        assertTrue(labelShown("SERVER CERTIFICATE"));
        assertTrue(labelShown("Names: localhost, 127.0.0.1"), "the SANs");
        assertTrue(labelShown("Issuer: "));
        assertTrue(labelShown("Valid "));
        assertFalse(test.isDisabled());
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
        assertTrue(labelShown("Check: "), "names the file to check");
    }
}
