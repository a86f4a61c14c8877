package dev.verifull;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

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
        noClasses().that().resideInAnyPackage("dev.verifull.engine..", "dev.verifull.upstream..", "dev.verifull.wire..",
                        "dev.verifull.tls..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.verifull.profile..", "dev.verifull.manager..",
                        "dev.verifull.cli..", "dev.verifull.app..", "dev.verifull.audit..", "dev.verifull.tailscale..",
                        "dev.verifull.tailnet..", "dev.verifull.sessions..", "dev.verifull.check..", "dev.verifull.connect..",
                        "dev.verifull.metrics..", "com.google.gson..")
                .check(MAIN);
    }

    /**
     * Metrics are counted from what any engine tells its listeners, for the app and {@code serve}
     * alike: the package knows the engine's events and the TLS diagnosis kinds, not profiles,
     * specs, upstream checks or either front end.
     */
    @Test
    void theMetricsKnowOnlyTheEnginesEvents() {
        noClasses().that().resideInAPackage("dev.verifull.metrics..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.verifull.profile..", "dev.verifull.manager..",
                        "dev.verifull.cli..", "dev.verifull.app..", "dev.verifull.audit..", "dev.verifull.tailscale..",
                        "dev.verifull.tailnet..", "dev.verifull.sessions..", "dev.verifull.check..", "dev.verifull.connect..",
                        "dev.verifull.engine.pg..", "com.google.gson..")
                .check(MAIN);
    }

    /**
     * Every package is a slice of its own ({@code (**)}), so a package and its sub-package
     * importing each other (engine and engine.pg did) is a cycle too.
     */
    @Test
    void packagesFormNoCycles() {
        slices().matching("dev.verifull.(**)").should().beFreeOfCycles().check(MAIN);
    }

    /** Callers start engines; the PostgreSQL handlers behind ProxyEngine stay its own. */
    @Test
    void theProxyEngineIsTheOnlyDoorIntoEnginePg() {
        classes().that().resideInAPackage("dev.verifull.engine.pg").and().areTopLevelClasses().and().arePublic()
                .should().haveFullyQualifiedName("dev.verifull.engine.pg.ProxyEngine")
                .check(MAIN);
    }

    @Test
    void theTextUtilitiesStandAlone() {
        noClasses().that().resideInAPackage("dev.verifull.text..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.verifull..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("dev.verifull.text..")))
                .check(MAIN);
    }

    /** Logging is used by every layer, so it may use nothing of Verifull's but the text utilities. */
    @Test
    void loggingStandsAlone() {
        noClasses().that().resideInAPackage("dev.verifull.logging..")
                .should().dependOnClassesThat(JavaClass.Predicates.resideInAPackage("dev.verifull..")
                        .and(JavaClass.Predicates.resideOutsideOfPackage("dev.verifull.logging.."))
                        .and(JavaClass.Predicates.resideOutsideOfPackage("dev.verifull.text..")))
                .check(MAIN);
    }

    @Test
    void onlyTheCommandLineWritesToTheTerminal() {
        noClasses().that().resideOutsideOfPackage("dev.verifull.cli..").and().doNotHaveFullyQualifiedName("dev.verifull.Main")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .check(MAIN);
    }

    @Test
    void theAppsPackagesFormNoCycles() {
        slices().matching("dev.verifull.app.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    /** The app's root only starts and wires; what its views share lives below it (app.ui, app.os). */
    @Test
    void theAppsSubPackagesDoNotUseItsRoot() {
        noClasses().that().resideInAPackage("dev.verifull.app.*..")
                .should().dependOnClassesThat().resideInAPackage("dev.verifull.app")
                .check(MAIN);
    }
}
