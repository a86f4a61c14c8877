package dev.verifull.app.profiles;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.verifull.check.UpstreamTestResult;
import dev.verifull.tls.CertificateSummary;
import dev.verifull.tls.UpstreamDiagnosis;
import javafx.animation.PauseTransition;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;

/**
 * What "Test upstream" found, as nodes for the editor's test panel and the details pane's test
 * dialog: verified or what failed with what to check, every certificate the server sent with its
 * fingerprint and PEM to copy, the trusted CA it was matched to, and on a name mismatch one
 * "Use NAME as the server name" button per name the certificate carries.
 */
public final class UpstreamTestView {
    private UpstreamTestView() {}

    /** @param useServerName told the name a user picked as the server name (the caller sets it and tests again) */
    public static List<Node> of(UpstreamTestResult result, Consumer<String> useServerName) {
        List<Node> nodes = new ArrayList<>();
        if (result.ok()) {
            VBox ok = new VBox(3);
            ok.getStyleClass().add("ok-box");
            ok.getChildren().add(CertificateViews.label("✓ Verified: " + nonNull(result.endpoint()), "cert-title"));
            ok.getChildren().add(CertificateViews.label("The certificate chains to " + nonNull(result.trust())
                    + " and carries the name " + nonNull(result.verifiedName()) + ".", "small"));
            ok.getChildren().add(CertificateViews.label(nonNull(result.tlsVersion()) + " · " + nonNull(result.cipherSuite())
                    + (result.alpn() != null ? " · ALPN " + result.alpn() : ""), "small", "mono"));
            nodes.add(ok);
        } else {
            UpstreamDiagnosis d = result.diagnosis();
            VBox failed = new VBox(4);
            failed.getStyleClass().add("error-box");
            failed.getChildren().add(CertificateViews.label(d.sentence(), "cert-title"));
            if (!d.detail().isEmpty()) failed.getChildren().addAll(detailLines(d.detail()));
            nodes.add(failed);
            List<String> names = result.namesToOffer();
            if (!d.hint().isEmpty() || !result.toCheck().isEmpty() || !result.fields().isEmpty() || !names.isEmpty()) {
                VBox hint = new VBox(4);
                hint.getStyleClass().add("warn-box");
                if (!d.hint().isEmpty()) hint.getChildren().add(CertificateViews.label(capitalized(d.hint())));
                if (!result.fields().isEmpty()) {
                    hint.getChildren().add(CertificateViews.label("Fields: " + String.join(", ",
                            result.fields().stream().sorted().map(ProfileEditorController::shortName).toList()), "small"));
                }
                for (String item : result.toCheck()) hint.getChildren().add(CertificateViews.label("Check: " + item, "small"));
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get(i);
                    Button use = new Button("Use " + name + " as the server name");
                    use.getStyleClass().addAll("secondary", "use-name");
                    use.setId("use-name-" + i);
                    use.setWrapText(true);
                    use.setOnAction(e -> useServerName.accept(name));
                    hint.getChildren().add(use);
                }
                nodes.add(hint);
            }
        }
        List<CertificateSummary> chain = result.chain();
        if (!chain.isEmpty()) {
            nodes.add(CertificateViews.label(result.ok() ? "CERTIFICATE CHAIN THE SERVER SENT" : "WHAT THE SERVER SENT",
                    "section-caption"));
        }
        for (int i = 0; i < chain.size(); i++) {
            VBox card = CertificateViews.summary(CertificateViews.role(chain, i), chain.get(i));
            card.setId("chain-" + i);
            card.getChildren().add(copyButtons(chain.get(i), "chain-" + i));
            nodes.add(card);
        }
        CertificateSummary anchor = result.trustAnchor();
        if (anchor != null) {
            nodes.add(CertificateViews.label("MATCHED TO THIS TRUSTED CA", "section-caption"));
            boolean pinned = !chain.isEmpty() && anchor.equals(chain.get(0));
            boolean sent = chain.contains(anchor);
            String role = pinned ? "THE SERVER'S OWN CERTIFICATE, TRUSTED DIRECTLY"
                    : "TRUSTED CA" + (sent ? " (THE SERVER SENT IT TOO)" : "");
            VBox card = CertificateViews.summary(role, anchor);
            card.setId("trust-anchor");
            if (result.trust() != null) card.getChildren().add(1, CertificateViews.label("From " + result.trust(), "small", "muted"));
            card.getChildren().add(copyButtons(anchor, "trust-anchor"));
            nodes.add(card);
        }
        return nodes;
    }

    /** The diagnosis's facts; a fingerprint among them wraps between bytes only. */
    private static List<Node> detailLines(String detail) {
        List<Node> nodes = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (String line : detail.split("\n")) {
            int at = line.indexOf(FINGERPRINT);
            if (at < 0) {
                text.append(text.length() > 0 ? "\n" : "").append(line);
                continue;
            }
            if (text.length() > 0) nodes.add(CertificateViews.label(text.toString(), "small"));
            text.setLength(0);
            nodes.add(CertificateViews.fingerprintRow(line.substring(at + FINGERPRINT.length()).trim()));
        }
        if (text.length() > 0) nodes.add(CertificateViews.label(text.toString(), "small"));
        return nodes;
    }

    private static final String FINGERPRINT = "SHA-256 fingerprint:";

    private static HBox copyButtons(CertificateSummary c, String id) {
        Button fingerprint = copyButton("Copy fingerprint", c.sha256Fingerprint());
        fingerprint.setId("copy-fingerprint-" + id);
        Button pem = copyButton("Copy PEM", c.pem());
        pem.setId("copy-pem-" + id);
        HBox row = new HBox(8, fingerprint, pem);
        row.getStyleClass().add("copy-row");
        return row;
    }

    private static Button copyButton(String text, String value) {
        Button b = new Button(text);
        b.getStyleClass().addAll("secondary", "small-button");
        b.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(value);
            Clipboard.getSystemClipboard().setContent(content);
            b.setText("Copied ✓");
            PauseTransition back = new PauseTransition(Duration.seconds(1.6));
            back.setOnFinished(x -> b.setText(text));
            back.play();
        });
        return b;
    }

    /** A fingerprint's bytes, wrapped only between bytes: {@code AA:BB:…}, each byte a node of its own. */
    static FlowPane fingerprint(String hex) {
        FlowPane flow = new FlowPane();
        flow.getStyleClass().add("fingerprint");
        String[] bytes = hex.split(":");
        for (int i = 0; i < bytes.length; i++) {
            flow.getChildren().add(CertificateViews.plainLabel(bytes[i] + (i < bytes.length - 1 ? ":" : ""), "small", "muted", "mono"));
        }
        flow.setAccessibleText("SHA-256 fingerprint " + hex);
        return flow;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
