package dev.verifull;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import org.junit.jupiter.api.Test;

/** The layering rules of the architecture notes, enforced. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.verifull");

    @Test
    void onlyTheAppTouchesJavaFxOrAwt() {
        noClasses().that().resideOutsideOfPackage("dev.verifull.app..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "java.awt..")
                .check(MAIN);
    }

    @Test
    void onlyTheTrayTouchesAwt() {
        noClasses().that().resideOutsideOfPackage("dev.verifull.app.tray..")
                .should().dependOnClassesThat().resideInAnyPackage("java.awt..")
                .check(MAIN);
    }

    @Test
    void theEngineKnowsNoProfilesNoGsonNoUi() {
        noClasses().that().resideInAnyPackage("dev.verifull.engine..", "dev.verifull.wire..", "dev.verifull.tls..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.verifull.profile..", "dev.verifull.manager..",
                        "dev.verifull.cli..", "dev.verifull.app..", "dev.verifull.audit..", "dev.verifull.tailscale..",
                        "dev.verifull.tailnet..", "dev.verifull.sessions..", "dev.verifull.check..", "dev.verifull.connect..",
                        "com.google.gson..")
                .check(MAIN);
    }

    @Test
    void theTextUtilitiesStandAlone() {
        noClasses().that().resideInAPackage("dev.verifull.text..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.verifull..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("dev.verifull.text..")))
                .check(MAIN);
    }

    @Test
    void onlyTheCommandLineWritesToTheTerminal() {
        noClasses().that().resideOutsideOfPackage("dev.verifull.cli..").and().doNotHaveFullyQualifiedName("dev.verifull.Main")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .check(MAIN);
    }
}
