package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.health.internal.HealthLoop;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No package cycle between the API and its implementation: the compiled classes of
 * {@code dev.switchboard.health.internal} name no type of {@code dev.switchboard.health} (the API uses the internal
 * package, never the other way round). Reads the class files' constant pools as text: every type a class uses, in a
 * signature or a reference, is spelled there as {@code dev/switchboard/health/...}.
 */
class InternalPackageTest {

    private static final Pattern HEALTH_TYPE = Pattern.compile("dev/switchboard/health/[A-Za-z0-9_/$]+");
    private static final String API = "dev/switchboard/health/";
    private static final String INTERNAL = API + "internal/";

    @Test
    void internalClassFiles_nameNoTypeOfTheApiPackage() throws Exception {
        List<Path> classes = classFiles(HealthLoop.class);
        Set<String> api = new TreeSet<>();
        Set<String> internal = new TreeSet<>();
        for (Path c : classes) {
            Matcher m = HEALTH_TYPE.matcher(new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                String type = m.group();
                if (type.startsWith(INTERNAL)) {
                    internal.add(type);
                } else if (type.indexOf('/', API.length()) < 0) {
                    api.add(c.getFileName() + " -> " + type);
                }
            }
        }

        assertThat(classes).extracting(p -> p.getFileName().toString())
                .contains("HealthLoop.class", "ProbeGroup.class");
        assertThat(internal).isNotEmpty();   // the scan sees references at all
        assertThat(api).isEmpty();
    }

    private static List<Path> classFiles(Class<?> anchor) throws IOException, URISyntaxException {
        URL self = anchor.getResource(anchor.getSimpleName() + ".class");
        assertThat(self).isNotNull();
        assertThat(self.getProtocol()).as("compiled classes in a directory").isEqualTo("file");
        try (Stream<Path> files = Files.list(Path.of(self.toURI()).getParent())) {
            return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }
}
