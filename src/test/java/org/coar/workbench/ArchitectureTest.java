package org.coar.workbench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;

/** The layering docs/ARCHITECTURE.md describes, as rules the build enforces on the main classes. */
@AnalyzeClasses(packages = "org.coar.workbench", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule javaFxOnlyInUi = noClasses().that().resideOutsideOfPackage("org.coar.workbench.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "atlantafx..")
            .because("services are plain Java, usable from the CLI and testable without a display");

    @ArchTest
    static final ArchRule standardStreamsOnlyInCli = noClasses().that().resideOutsideOfPackage("org.coar.workbench.cli..")
            // the start-up benchmark (docs/BENCHMARKS.md, -Dcoar.startup.measure=true) reads its measurement on stderr
            .and().doNotHaveFullyQualifiedName("org.coar.workbench.ui.StartupTimer")
            .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
            .because("services report through return values, progress listeners and exceptions, and the installed app has no"
                    + " terminal: the GUI logs through SLF4J to its log file");

    @ArchTest
    static final ArchRule uiGoesThroughServices = noClasses().that().resideInAPackage("org.coar.workbench.ui..")
            .should().dependOnClassesThat().resideInAPackage("org.coar.workbench.npy..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("org.coar.workbench.model.TorchModel")
            .because("the window reads stores and models through the services that own their formats");

    @ArchTest
    static final ArchRule frontEndsOnTop = noClasses().that().resideOutsideOfPackages("org.coar.workbench.cli..", "org.coar.workbench.ui..")
            .should().dependOnClassesThat().resideInAnyPackage("org.coar.workbench.cli..", "org.coar.workbench.ui..")
            .because("the command line and the window are two front ends over the same services");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("org.coar.workbench.(*)..").should().beFreeOfCycles();
}
