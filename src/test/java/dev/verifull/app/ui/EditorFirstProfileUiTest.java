package dev.verifull.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.verifull.app.TestTools;
import dev.verifull.app.profiles.ProfileStorage;
import dev.verifull.profile.AppDataDir;
import dev.verifull.profile.Profile;
import dev.verifull.profile.ProfileStore;
import dev.verifull.testing.TestCa;

/**
 * The first profile as a new user makes it: host and port typed or pasted together, a connection
 * string pasted into the host field or with "Paste connection string", database and user next to
 * the host, the CA file shown as the file they chose, advanced settings out of the way, TLS to
 * clients off; then the details pane's strings, whose Copy waits until the user is there.
 */
class EditorFirstProfileUiTest {
    @TempDir Path base;
    private FxHarness app;
    private ProfileStore store;
    private Parent editor;

    @BeforeEach
    void start() throws Exception {
        store = ProfileStore.open(AppDataDir.profiles(base));
        app = new FxHarness(base, ProfileStorage.of(store), new TestTools(base));
        app.fx(() -> app.window.actions().newProfile());
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
    }

    @AfterEach
    void stop() throws Exception {
        app.close();
    }

    private <T extends Node> T node(String id) {
        return app.robot.from(editor).lookup(id).query();
    }

    private String text(String id) throws Exception {
        Node n = node(id);
        return app.fx(() -> !n.isVisible() ? null : n instanceof Label l ? l.getText() : ((TextField) n).getText());
    }

    private void putOnClipboard(String text) {
        app.fx(() -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(text);
            Clipboard.getSystemClipboard().setContent(content);
        });
    }

    @Test
    void hostAndPortTypedTogetherAreSplitWhenTheFieldIsLeftAndNeverFlagged() throws Exception {
        app.robot.clickOn((Node) node("#hostField")).write("db.example.com:6543");
        assertNull(text("#upstream-host-error"), "host:port is understood while typing");
        app.robot.clickOn((Node) node("#nameField")); // leaves the host field
        app.waitUntil(() -> "db.example.com".equals(text("#hostField")));
        assertEquals("6543", text("#portField"));
        assertNull(text("#upstream-host-error"));
        assertNull(text("#pasteNote"), "nothing to say about a plain host:port");
    }

    @Test
    void aUriPastedIntoTheHostFieldFillsTheServerDatabaseUserAndNameButNotThePassword() throws Exception {
        putOnClipboard("postgresql://app_user:s3cret@orders.abc123.eu-west-1.rds.amazonaws.com:5433/orders?sslmode=require");
        app.robot.clickOn((Node) node("#hostField"));
        app.robot.press(KeyCode.CONTROL, KeyCode.V).release(KeyCode.V, KeyCode.CONTROL);
        app.waitUntil(() -> "orders.abc123.eu-west-1.rds.amazonaws.com".equals(text("#hostField")));
        assertEquals("5433", text("#portField"));
        assertEquals("orders", text("#defaultDatabaseField"));
        assertEquals("app_user", text("#defaultUserField"));
        assertEquals("orders", text("#nameField"), "a name from the host while there is none");
        String note = text("#pasteNote");
        assertTrue(note.startsWith("Filled in from the connection string: host, port, database, user."), note);
        assertTrue(note.contains("The password was left out"), note);
        assertFalse(app.fx(() -> editor.lookupAll(".text-field").stream()
                .anyMatch(n -> ((TextField) n).getText().contains("s3cret"))), "the password is in no field");
    }

    @Test
    void thePasteButtonReadsAKeyValueStringFromTheClipboardAndSaysWhenThereIsNone() throws Exception {
        putOnClipboard("host=db.internal hostaddr=10.1.2.3 port=6000 dbname='my db' user=bob");
        app.robot.clickOn((Node) node("#pasteButton"));
        app.waitUntil(() -> "10.1.2.3".equals(text("#hostField")));
        assertEquals("db.internal", text("#serverNameField"), "the name the certificate carries");
        assertEquals("6000", text("#portField"));
        assertEquals("my db", text("#defaultDatabaseField"));
        assertEquals("bob", text("#defaultUserField"));

        putOnClipboard("just some words");
        app.robot.clickOn((Node) node("#pasteButton"));
        app.waitUntil(() -> text("#pasteNote") != null && text("#pasteNote").startsWith("The clipboard holds no connection string."));
        assertEquals("10.1.2.3", text("#hostField"), "nothing changed");
    }

    @Test
    void databaseAndUserSitNextToTheHostAndTheAdvancedSettingsStartCollapsed() throws Exception {
        Node host = node("#hostField");
        Node user = node("#defaultUserField");
        Node database = node("#defaultDatabaseField");
        Node trust = node("#caFilesRadio");
        double hostY = app.fx(() -> host.localToScene(0, 0).getY());
        assertTrue(app.fx(() -> database.localToScene(0, 0).getY()) > hostY);
        assertTrue(app.fx(() -> user.localToScene(0, 0).getY()) < app.fx(() -> trust.localToScene(0, 0).getY()),
                "asked for before the certificate settings");

        TitledPane advanced = node("#advancedPane");
        assertFalse(advanced.isExpanded());
        assertFalse(app.fx(() -> ((Node) node("#providerChoice")).isVisible() && advanced.isExpanded()));
        app.scrollIntoView(advanced);
        app.robot.clickOn(advanced.lookup(".title"));
        app.waitUntil(advanced::isExpanded);
        assertTrue(app.fx(() -> ((Node) node("#maxSessionsField")).isVisible()));
    }

    @Test
    void theFirstProfileSavesTheChosenCaFileWithWhereItCameFromAndNoTlsToClients() throws Exception {
        Path chosen = Files.copy(TestCa.shared().caFile(), base.resolve("my-provider-bundle.pem"));
        CheckBox offer = node("#offerClientTlsCheck");
        assertFalse(offer.isSelected(), "off for a new profile");

        // a real server with the CA chosen below: the profile started on save stays verified
        dev.verifull.testing.PgServer pg = dev.verifull.testing.PgServer.shared(17, dev.verifull.testing.PgServer.Options.tls());
        app.robot.clickOn((Node) node("#hostField")).write("localhost:" + pg.port());
        app.robot.clickOn((Node) node("#defaultUserField")).write("alice");
        app.filesToPick.add(chosen);
        app.robot.clickOn((Node) node("#addCaButton"));
        app.waitUntil(() -> app.robot.from(editor).lookup("#ca-file-path").tryQuery().isPresent());
        Label where = node("#ca-file-path");
        assertTrue(where.getText().startsWith(chosen + " (a copy is kept in the app data: my-provider-bundle-"), where.getText());
        assertEquals("localhost", text("#nameField"));

        Button save = node("#saveButton");
        app.waitUntil(() -> !save.isDisabled());
        app.robot.clickOn(save);
        app.waitUntil(() -> !store.load().profiles().isEmpty());
        Profile saved = store.load().profiles().get(0);
        assertEquals("localhost", saved.upstreamHost());
        assertEquals(pg.port(), saved.upstreamPort());
        assertEquals("alice", saved.defaultUser());
        assertFalse(saved.offerClientTls());
        String copy = saved.caFiles().get(0);
        assertEquals(AppDataDir.certificates(base), Path.of(copy).getParent());
        assertEquals(chosen.toString(), saved.originalOf(copy));

        // the details pane names the file the user chose, and that a copy is kept
        app.waitUntil(() -> app.robot.lookup(n -> n instanceof Label l && l.getText() != null
                && l.getText().startsWith(chosen + " (a copy is kept in the app data: ")).tryQuery().isPresent());

        // "Start now" was left ticked: the new profile runs without another click, and says so
        app.waitUntil(() -> app.services.library().find("localhost").orElseThrow().state()
                == dev.verifull.app.profiles.ProfileState.RUNNING);
        app.waitUntil(() -> saveNote() != null && saveNote().startsWith("Saved and started at "));
        assertTrue(saveNote().endsWith(": clients can connect now."), saveNote());
    }

    private String saveNote() throws Exception {
        return app.robot.lookup("#saveNote").tryQuery().map(n -> n.isVisible() ? ((Label) n).getText() : null).orElse(null);
    }

    @Test
    void untickingStartNowSavesTheNewProfileWithoutStartingIt() throws Exception {
        CheckBox startNow = node("#startNowCheck");
        assertTrue(app.fx(() -> startNow.isVisible() && startNow.isSelected()), "offered, and ticked, for a new profile");
        app.robot.clickOn((Node) node("#nameField")).write("orders");
        app.robot.clickOn((Node) node("#hostField")).write("db.example.com");
        app.robot.clickOn((Node) node("#defaultUserField")).write("alice");
        app.fx(() -> app.robot.from(editor).lookup("#systemTrustRadio").queryAs(javafx.scene.control.RadioButton.class).setSelected(true));
        app.robot.clickOn(startNow);
        app.waitUntil(() -> !startNow.isSelected());
        Button save = node("#saveButton");
        app.waitUntil(() -> !save.isDisabled());
        app.robot.clickOn(save);
        app.waitUntil(() -> app.window.actions().editorWindow().isEmpty());
        app.waitUntil(() -> saveNote() != null);
        assertEquals("Saved, not started: press Start when clients should connect.", saveNote());
        assertFalse(app.services.library().find("orders").orElseThrow().active(), "not started");
        assertEquals(dev.verifull.manager.EngineStatus.STOPPED, app.services.library().find("orders").orElseThrow().status().status());

        // editing it again: no "Start now" (an edited profile keeps running or stays stopped)
        app.fx(() -> app.window.actions().edit(app.services.library().find("orders").orElseThrow()));
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
        assertFalse(app.fx(() -> ((Node) node("#startNowCheck")).isVisible()));
    }

    @Test
    void withoutAUserNoCopyButtonWorksAndTheDetailsSayWhatIsMissingUntilItIsAdded() throws Exception {
        app.robot.clickOn((Node) node("#nameField")).write("orders");
        app.robot.clickOn((Node) node("#hostField")).write("db.example.com");
        app.fx(() -> app.robot.from(editor).lookup("#systemTrustRadio").queryAs(javafx.scene.control.RadioButton.class).setSelected(true));
        Button save = node("#saveButton");
        app.waitUntil(() -> !save.isDisabled());
        app.robot.clickOn(save);
        app.waitUntil(() -> app.window.actions().editorWindow().isEmpty());

        app.waitUntil(() -> app.exists("#connect-missing"));
        Label missing = app.lookup("#connect-missing");
        assertTrue(missing.getText().startsWith("Add the database user to this profile to copy a connection string."), missing.getText());
        Button copy = app.lookup("#copy-PSQL_COMMAND");
        assertTrue(copy.isDisabled(), "no Copy for a string that would log in as the computer's user");

        // "Edit profile" in that box, the user typed, saved: Copy works
        // The box's own button (the amber state has an "Edit profile" of its own, hidden here).
        app.robot.clickOn((Node) app.lookup("#connect-missing-edit"));
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
        app.robot.clickOn((Node) node("#defaultUserField")).write("alice");
        Button saveAgain = node("#saveButton");
        app.waitUntil(() -> !saveAgain.isDisabled());
        app.robot.clickOn(saveAgain);
        app.waitUntil(() -> !app.exists("#connect-missing"));
        Button enabled = app.lookup("#copy-PSQL_COMMAND");
        assertFalse(enabled.isDisabled());
        app.robot.clickOn(enabled);
        app.waitUntil(() -> enabled.getText().startsWith("Copied"));
        assertTrue(app.fx(() -> Clipboard.getSystemClipboard().getString()).contains("user=alice"));
    }

    @Test
    void allowThisMachineIsATailnetChoiceThatIsSavedAndShownAgain() throws Exception {
        app.robot.clickOn((Node) node("#nameField")).write("orders");
        app.robot.clickOn((Node) node("#hostField")).write("db.example.com");
        app.robot.clickOn((Node) node("#defaultUserField")).write("alice");
        app.fx(() -> app.robot.from(editor).lookup("#systemTrustRadio").queryAs(javafx.scene.control.RadioButton.class).setSelected(true));
        CheckBox allow = node("#allowThisMachineCheck");
        app.fx(() -> app.robot.from(editor).lookup("#localOnlyRadio").queryAs(javafx.scene.control.RadioButton.class).setSelected(true));
        assertTrue(app.fx(allow::isDisabled), "a tailnet choice: off limits for a profile on this computer only");
        app.fx(() -> app.robot.from(editor).lookup("#tailnetRadio").queryAs(javafx.scene.control.RadioButton.class).setSelected(true));
        app.waitUntil(() -> !allow.isDisabled());
        assertFalse(allow.isSelected(), "off for a new profile");
        assertTrue(app.robot.from(editor).lookup((Node n) -> n instanceof Label l && l.getText() != null
                && l.getText().contains("on a computer several people use, every one of them and every program gets in"))
                .tryQuery().isPresent(), "the hint says what it allows on a multi-user machine");
        app.scrollIntoView(allow);
        app.robot.clickOn(allow);
        app.waitUntil(allow::isSelected);
        app.fx(() -> ((CheckBox) node("#startNowCheck")).setSelected(false)); // no Tailscale here to wait for
        Button save = node("#saveButton");
        app.waitUntil(() -> !save.isDisabled());
        app.robot.clickOn(save);
        app.waitUntil(() -> !store.load().profiles().isEmpty());
        assertTrue(store.load().profiles().get(0).allowThisMachine(), "saved in profiles.json");

        // shown again when edited, and unticking it saves that too
        app.waitUntil(() -> app.window.actions().editorWindow().isEmpty());
        app.fx(() -> app.window.actions().edit(app.services.library().find("orders").orElseThrow()));
        app.waitUntil(() -> app.window.actions().editorWindow().isPresent());
        editor = app.fx(() -> app.window.actions().editorWindow().orElseThrow().getScene().getRoot());
        CheckBox again = node("#allowThisMachineCheck");
        assertTrue(again.isSelected(), "as saved");
        app.scrollIntoView(again);
        app.robot.clickOn(again);
        app.waitUntil(() -> !again.isSelected());
        Button saveAgain = node("#saveButton");
        app.waitUntil(() -> !saveAgain.isDisabled());
        app.robot.clickOn(saveAgain);
        app.waitUntil(() -> !store.load().profiles().get(0).allowThisMachine());
    }
}
