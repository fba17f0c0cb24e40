package dev.pipewright.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package arrows of DESIGN.md: every package may use {@code model}, {@code config} and {@code telemetry};
 * otherwise dependencies point inward (gateway → router → pipeline → model), and only {@code cli}, the composition
 * root, sees everything.
 */
class PackageArrowsTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.pipewright");
    }

    @Test
    void dependencies_point_inward() {
        ArchRule rule = layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .withOptionalLayers(true)
                .layer("config")
                .definedBy("dev.pipewright.config..")
                .layer("model")
                .definedBy("dev.pipewright.model..")
                .layer("telemetry")
                .definedBy("dev.pipewright.telemetry..")
                .layer("resilience")
                .definedBy("dev.pipewright.resilience..")
                .layer("providers")
                .definedBy("dev.pipewright.provider..")
                .layer("store")
                .definedBy("dev.pipewright.store..")
                .layer("cache")
                .definedBy("dev.pipewright.cache..")
                .layer("cost")
                .definedBy("dev.pipewright.cost..")
                .layer("pipeline")
                .definedBy("dev.pipewright.pipeline..")
                .layer("jobs")
                .definedBy("dev.pipewright.jobs..")
                .layer("router")
                .definedBy("dev.pipewright.router..")
                .layer("release")
                .definedBy("dev.pipewright.release..")
                .layer("gateway")
                .definedBy("dev.pipewright.gateway..")
                .layer("cli")
                .definedBy("dev.pipewright.cli..")
                .whereLayer("cli")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("gateway")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("release")
                .mayOnlyBeAccessedByLayers("gateway", "cli")
                .whereLayer("router")
                .mayOnlyBeAccessedByLayers("gateway", "release", "cli")
                .whereLayer("jobs")
                .mayOnlyBeAccessedByLayers("gateway", "release", "cli")
                .whereLayer("pipeline")
                .mayOnlyBeAccessedByLayers("router", "jobs", "release", "gateway", "cli")
                .whereLayer("cost")
                .mayOnlyBeAccessedByLayers("jobs", "release", "gateway", "cli")
                .whereLayer("cache")
                .mayOnlyBeAccessedByLayers("gateway", "cli")
                .whereLayer("store")
                .mayOnlyBeAccessedByLayers("jobs", "cost", "release", "cli")
                .whereLayer("providers")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("resilience")
                .mayOnlyBeAccessedByLayers("cli")
                .whereLayer("telemetry")
                .mayOnlyBeAccessedByLayers(
                        "resilience",
                        "providers",
                        "store",
                        "cache",
                        "cost",
                        "pipeline",
                        "jobs",
                        "router",
                        "release",
                        "gateway",
                        "cli")
                .whereLayer("model")
                .mayOnlyBeAccessedByLayers(
                        "telemetry",
                        "resilience",
                        "providers",
                        "store",
                        "cache",
                        "cost",
                        "pipeline",
                        "jobs",
                        "router",
                        "release",
                        "gateway",
                        "cli")
                .whereLayer("config")
                .mayOnlyBeAccessedByLayers(
                        "model",
                        "telemetry",
                        "resilience",
                        "providers",
                        "store",
                        "cache",
                        "cost",
                        "pipeline",
                        "jobs",
                        "router",
                        "release",
                        "gateway",
                        "cli");
        rule.check(classes);
    }

    @Test
    void providers_do_not_know_each_other() {
        slices().matching("dev.pipewright.provider.(*)..")
                .should()
                .notDependOnEachOther()
                .check(classes);
    }

    @Test
    void packages_have_no_cycles() {
        slices().matching("dev.pipewright.(*)..").should().beFreeOfCycles().check(classes);
    }
}
