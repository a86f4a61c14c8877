package dev.verifull.app.profiles;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

import dev.verifull.profile.CertificateFileInfo;
import dev.verifull.tls.CertificateSummary;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** Small cards that show a certificate's subject, issuer, names, validity and fingerprint. */
final class CertificateViews {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);

    private CertificateViews() {}

    static String date(Instant t) {
        return t == null ? "?" : DATE.format(t.atZone(ZoneId.systemDefault()));
    }

    /** The CN of a DN when it has one, else the whole DN. */
    static String commonName(String dn) {
        if (dn == null) return "";
        for (String part : dn.split(",(?=(?:[^\\\\]|\\\\.)*$)")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "CN=", 0, 3)) return p.substring(3);
        }
        return dn;
    }

    static VBox facts(CertificateFileInfo.Entry c) {
        VBox box = new VBox(2);
        box.getChildren().add(label(commonName(c.subject()) + (c.isCa() ? "  (CA)" : ""), "cert-title"));
        box.getChildren().add(label("Subject: " + c.subject(), "small"));
        box.getChildren().add(label("Issuer: " + c.issuer(), "small", "muted"));
        box.getChildren().add(label("Valid " + date(c.notBefore()) + " – " + date(c.notAfter()), "small", "muted"));
        box.getChildren().add(fingerprintRow(c.sha256Fingerprint()));
        for (CertificateFileInfo.Warning w : c.warnings()) box.getChildren().add(label("⚠ " + w.text(), "cert-warning"));
        return box;
    }

    static VBox summary(String role, CertificateSummary c) {
        VBox box = new VBox(2);
        box.getStyleClass().add("cert-card");
        box.getChildren().add(label(role, "small", "muted"));
        box.getChildren().add(label(commonName(c.subject()), "cert-title"));
        box.getChildren().add(label("Subject: " + c.subject(), "small"));
        if (!c.dnsNames().isEmpty() || !c.ipAddresses().isEmpty()) box.getChildren().add(label("Names: " + c.names(), "small"));
        box.getChildren().add(label("Issuer: " + c.issuer(), "small", "muted"));
        box.getChildren().add(label("Valid " + date(c.notBefore()) + " – " + date(c.notAfter()), "small", "muted"));
        box.getChildren().add(fingerprintRow(c.sha256Fingerprint()));
        return box;
    }

    static String role(List<CertificateSummary> chain, int index) {
        if (index == 0) return "SERVER CERTIFICATE";
        CertificateSummary c = chain.get(index);
        return c.selfIssued() ? "ROOT CA" : "INTERMEDIATE CA";
    }

    /** "SHA-256" and the fingerprint, which wraps between bytes only. */
    static javafx.scene.Node fingerprintRow(String hex) {
        javafx.scene.layout.HBox row = new javafx.scene.layout.HBox(6, plainLabel("SHA-256 ", "small", "muted"),
                UpstreamTestView.fingerprint(hex));
        javafx.scene.layout.HBox.setHgrow(row.getChildren().get(1), javafx.scene.layout.Priority.ALWAYS);
        return row;
    }

    /** A label that never wraps (a fingerprint byte). */
    static Label plainLabel(String text, String... styles) {
        Label l = new Label(text);
        l.setMinWidth(Label.USE_PREF_SIZE);
        l.getStyleClass().addAll(styles);
        return l;
    }

    static Label label(String text, String... styles) {
        Label l = new Label(text);
        l.setWrapText(true);
        l.getStyleClass().addAll(styles);
        return l;
    }
}
