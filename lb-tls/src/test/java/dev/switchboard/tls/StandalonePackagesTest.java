package dev.switchboard.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.tls.internal.context.SniKeyManager;
import dev.switchboard.tls.internal.hello.HelloParser;
import dev.switchboard.tls.internal.pem.CertificateFiles;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The internal packages of lb-tls do not use its API package, so there is no package cycle with the API that uses
 * them. The hello parser ("bytes in, values out") and the PEM/PKCS#12 readers ("files in, keys out") stand alone:
 * their compiled classes name no type outside their own package but the JDK's. The key managers and context code
 * ({@code tls.internal.context}) name, besides their own package, only lb-api's types (the validation plumbing),
 * never one of lb-tls's other packages: the API hands them its certificates as values and interfaces of their own.
 * Reads the class files' constant pools as text: every type a class uses, in a signature or a reference, is spelled
 * there as {@code dev/switchboard/...}.
 */
class StandalonePackagesTest {

    private static final Pattern OUR_TYPE = Pattern.compile("dev/switchboard/[A-Za-z0-9_/$]+");

    @ParameterizedTest
    @ValueSource(classes = {HelloParser.class, CertificateFiles.class})
    void packageOf_classFiles_nameNoSwitchboardTypeOutsideThePackage(Class<?> anchor) throws Exception {
        Set<String> foreign = foreignReferences(anchor, "");

        assertThat(foreign).isEmpty();
    }

    @Test
    void contextPackage_classFiles_nameNoTlsTypeOutsideThePackage() throws Exception {
        Set<String> foreign = foreignReferences(SniKeyManager.class, "dev/switchboard/api/");

        assertThat(foreign).isEmpty();
    }

    /**
     * Each {@code Class.class -> dev/switchboard/...} reference of the classes in {@code anchor}'s package to a type
     * outside that package, except types under {@code allowedPrefix} ({@code ""}: none allowed).
     */
    private static Set<String> foreignReferences(Class<?> anchor, String allowedPrefix) throws Exception {
        String ownPackage = anchor.getPackageName().replace('.', '/') + "/";
        List<Path> classes = classFiles(anchor);
        Set<String> foreign = new TreeSet<>();
        Set<String> own = new TreeSet<>();
        for (Path c : classes) {
            Matcher m = OUR_TYPE.matcher(new String(Files.readAllBytes(c), StandardCharsets.ISO_8859_1));
            while (m.find()) {
                String type = m.group();
                if (type.startsWith(ownPackage)) {
                    own.add(type);
                } else if (allowedPrefix.isEmpty() || !type.startsWith(allowedPrefix)) {
                    foreign.add(c.getFileName() + " -> " + type);
                }
            }
        }
        assertThat(classes).extracting(p -> p.getFileName().toString()).contains(anchor.getSimpleName() + ".class");
        assertThat(own).isNotEmpty();   // the scan sees references at all
        return foreign;
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
