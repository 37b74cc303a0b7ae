package dev.switchboard.tls.internal.hello;

import static org.assertj.core.api.Assertions.assertThat;

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
 * The hello parser is "bytes in, values out": its compiled classes name no type outside their own package but the
 * JDK's, so in particular not {@code dev.switchboard.tls} (no package cycle with the API that uses it). Reads the
 * class files' constant pools as text: every type a class uses, in a signature or a reference, is spelled there
 * as {@code dev/switchboard/...}.
 */
class HelloPackageBoundaryTest {

    private static final Pattern OUR_TYPE = Pattern.compile("dev/switchboard/[A-Za-z0-9_/$]+");
    private static final String OWN_PACKAGE = "dev/switchboard/tls/internal/hello/";

    @Test
    void helloClasses_constantPools_nameNoSwitchboardTypeOutsideTheirPackage() throws Exception {
        List<Path> classes = classFiles();
        Set<String> foreign = new TreeSet<>();
        Set<String> own = new TreeSet<>();
        for (Path c : classes) {
            Matcher m = OUR_TYPE.matcher(new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                (m.group().startsWith(OWN_PACKAGE) ? own : foreign).add(c.getFileName() + " -> " + m.group());
            }
        }

        assertThat(classes).extracting(p -> p.getFileName().toString())
                .contains("HelloParser.class", "ClientHelloParser.class", "HelloReader.class");
        assertThat(own).isNotEmpty();   // the scan sees references at all
        assertThat(foreign).isEmpty();
    }

    private static List<Path> classFiles() throws IOException, URISyntaxException {
        URL self = HelloParser.class.getResource("HelloParser.class");
        assertThat(self).isNotNull();
        assertThat(self.getProtocol()).as("compiled classes in a directory").isEqualTo("file");
        try (Stream<Path> files = Files.list(Path.of(self.toURI()).getParent())) {
            return files.filter(p -> p.toString().endsWith(".class")).sorted().toList();
        }
    }
}
