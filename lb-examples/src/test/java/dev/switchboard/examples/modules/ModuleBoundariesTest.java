package dev.switchboard.examples.modules;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleDescriptor.Exports;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The library modules' descriptors, read from the classes the build just made (the same bytes the jars carry):
 * each exports exactly its API packages, to everyone, and no {@code *.internal*} package; lb-api holds nothing
 * but its API packages (the sibling modules validate through its public {@code Violation} and
 * {@code ConfigurationException}). It lives in lb-examples' tests because this is the one module whose test class
 * path holds all eleven library modules (lb-api, lb-engine, lb-tls, lb-health, lb-netty, lb-config, lb-cluster,
 * lb-micrometer, lb-micrometer-prometheus, lb-ldap, lb-radius) and their dependencies. {@link ModulePathProbeTest}
 * checks the same boundaries the way a user meets them: javac and java on the module path.
 */
class ModuleBoundariesTest {

    private static final Map<String, Set<String>> API_PACKAGES = Map.ofEntries(
            Map.entry("dev.switchboard.api",
                    Set.of("dev.switchboard.api", "dev.switchboard.api.event", "dev.switchboard.api.spi")),
            Map.entry("dev.switchboard.engine", Set.of("dev.switchboard.engine", "dev.switchboard.engine.auth")),
            Map.entry("dev.switchboard.tls", Set.of("dev.switchboard.tls")),
            Map.entry("dev.switchboard.health", Set.of("dev.switchboard.health")),
            Map.entry("dev.switchboard.netty", Set.of("dev.switchboard.netty", "dev.switchboard.netty.limit",
                    "dev.switchboard.netty.settings", "dev.switchboard.netty.transport")),
            Map.entry("dev.switchboard.config", Set.of("dev.switchboard.config")),
            Map.entry("dev.switchboard.cluster", Set.of("dev.switchboard.cluster")),
            Map.entry("dev.switchboard.micrometer", Set.of("dev.switchboard.micrometer")),
            Map.entry("dev.switchboard.micrometer.prometheus", Set.of("dev.switchboard.micrometer.prometheus")),
            Map.entry("dev.switchboard.ldap", Set.of("dev.switchboard.ldap")),
            Map.entry("dev.switchboard.radius", Set.of("dev.switchboard.radius")));

    /**
     * Required modules whose name comes from a jar's file name (unstable, see lb-engine's module-info), by the module
     * that requires them. A new entry here needs a reason; if re2j ever names itself, this test fails and the
     * requires directives change with it.
     */
    private static final Map<String, Set<String>> FILE_NAMED_REQUIRES = Map.of(
            "dev.switchboard.engine", Set.of("re2j"),
            "dev.switchboard.health", Set.of("re2j"),
            "dev.switchboard.config", Set.of("re2j"),
            "dev.switchboard.ldap", Set.of("unboundid.ldapsdk")); // the UnboundID jar names no module

    @Test
    void descriptors_everyLibraryModule_exportsExactlyItsApiPackages() {
        Map<String, Set<String>> exported = new TreeMap<>();
        for (ModuleDescriptor d : libraryDescriptors()) {
            exported.put(d.name(), d.exports().stream().filter(e -> !e.isQualified()).map(Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new)));
        }

        assertThat(exported).isEqualTo(new TreeMap<>(API_PACKAGES));
    }

    @Test
    void descriptors_everyPackageNotExported_isInternal() {
        for (ModuleDescriptor d : libraryDescriptors()) {
            Set<String> hidden = new TreeSet<>(d.packages());
            hidden.removeAll(API_PACKAGES.get(d.name()));

            assertThat(hidden).as(d.name()).allSatisfy(p -> assertThat(p).contains(".internal"));
            assertThat(API_PACKAGES.get(d.name())).as(d.name()).noneMatch(p -> p.contains(".internal"));
            assertThat(d.isOpen()).as(d.name() + " is open").isFalse();
            assertThat(d.opens()).as(d.name() + " opens").isEmpty();
        }
    }

    @Test
    void descriptors_qualifiedExports_none() {
        List<String> qualified = libraryDescriptors().stream().flatMap(d -> d.exports().stream())
                .filter(Exports::isQualified).map(Exports::toString).toList();

        assertThat(qualified).isEmpty();
    }

    @Test
    void descriptors_apiModule_holdsOnlyItsApiPackages() {
        ModuleDescriptor api = libraryDescriptors().stream().filter(d -> d.name().equals("dev.switchboard.api"))
                .findFirst().orElseThrow();

        assertThat(api.packages()).isEqualTo(API_PACKAGES.get("dev.switchboard.api"));
    }

    @Test
    void descriptors_requires_fileNamedAutomaticModulesOnlyTheKnownOnes() {
        ModuleFinder dependencies = ModuleFinder.of(ModulePath.dependencies().toArray(Path[]::new));
        Map<String, Set<String>> fileNamed = new TreeMap<>();
        for (ModuleDescriptor d : libraryDescriptors()) {
            for (ModuleDescriptor.Requires r : d.requires()) {
                dependencies.find(r.name()).filter(ModulePath::isFileNamed).ifPresent(ref ->
                        fileNamed.computeIfAbsent(d.name(), k -> new TreeSet<>()).add(r.name()));
            }
        }

        assertThat(fileNamed).isEqualTo(new TreeMap<>(FILE_NAMED_REQUIRES));
    }

    private static List<ModuleDescriptor> libraryDescriptors() {
        ModuleFinder finder = ModuleFinder.of(ModulePath.libraries().toArray(Path[]::new));
        List<ModuleDescriptor> found = finder.findAll().stream().map(ModuleReference::descriptor).toList();
        assertThat(found).extracting(ModuleDescriptor::name).containsExactlyInAnyOrderElementsOf(API_PACKAGES.keySet());
        assertThat(found).noneMatch(ModuleDescriptor::isAutomatic);
        return found;
    }
}
