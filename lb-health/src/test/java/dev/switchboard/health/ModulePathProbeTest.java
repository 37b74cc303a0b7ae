package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module-path user, for real: a tiny module {@code probe} that requires the library modules is compiled with
 * javac and run with {@code java --module-path}, against the classes and jars this build uses. It may use the API;
 * it may not compile against an internal package, and reflection into one fails at run time. Also shows that the
 * descriptors' {@code requires} resolve with the real dependency jars (re2j, Caffeine, Conscrypt, OkHttp,
 * resilience4j, slf4j-api) and that the API works there.
 */
class ModulePathProbeTest {

    private static final String MODULE_INFO = """
            module probe {
                requires dev.switchboard.engine;
                requires dev.switchboard.health;
            }
            """;

    private static final String USES_INTERNALS = """
            package probe;

            import dev.switchboard.api.internal.Problems;
            import dev.switchboard.engine.internal.persist.PersistenceStores;
            import dev.switchboard.health.internal.HealthLoop;
            import dev.switchboard.tls.internal.hello.HelloParser;

            public class Main {
            }
            """;

    private static final String USES_API = """
            package probe;

            import dev.switchboard.api.*;
            import dev.switchboard.engine.DispatchEngine;
            import dev.switchboard.health.HealthChecks;
            import dev.switchboard.tls.TlsHellos;
            import java.nio.charset.StandardCharsets;

            public class Main {
                public static void main(String[] args) throws Exception {
                    LoadBalancer lb = LoadBalancer.builder()
                            .virtualService(VirtualService.builder("web").listen("127.0.0.1:8080")
                                    .protocol(Protocol.HTTP)
                                    .requestRule(HeaderRule.rewritePath("^/old/(.*)$", "/new/$1"))
                                    .subService(SubService.builder("app").asDefault()
                                            .realServer(RealServer.of("app1", "127.0.0.1:9001")).build())
                                    .build())
                            .build();
                    DispatchEngine engine = DispatchEngine.create(lb);
                    Decision d = engine.dispatch("web", HttpRequest.builder().method("GET")
                            .authority("web.example").target("/old/x").build());
                    Decision.Forward f = (Decision.Forward) d;
                    System.out.println("forward " + f.target().address() + " " + f.path());
                    f.release(Outcome.ofStatus(200, 1_000));
                    engine.close();

                    byte[] plain = "GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
                    System.out.println("hello " + TlsHellos.parseClientHello(plain, 0, plain.length)
                            .getClass().getSimpleName());
                    System.out.println("health " + HealthChecks.http().bodyPattern("(?i)ok").build().type());

                    deny("dev.switchboard.api.internal.Problems", c -> c.getConstructor().newInstance());
                    deny("dev.switchboard.engine.internal.persist.PersistenceStores",
                            c -> c.getMethod("caffeine").invoke(null));
                    deny("dev.switchboard.tls.internal.hello.HelloParser",
                            c -> c.getField("MAX_HELLO_LENGTH").getInt(null));
                    deny("dev.switchboard.tls.internal.hello.HelloParser",
                            c -> { c.getField("MAX_HELLO_LENGTH").setAccessible(true); return null; });
                }

                interface Reach {
                    Object on(Class<?> c) throws Exception;
                }

                static void deny(String name, Reach reach) throws Exception {
                    try {
                        reach.on(Class.forName(name));
                        System.out.println("reached " + name);
                    } catch (IllegalAccessException | RuntimeException e) {
                        System.out.println("denied " + name + ": " + e.getClass().getSimpleName());
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void javac_probeImportingInternalPackages_failsNamingEachPackageNotVisible() throws IOException {
        List<String> errors = compile(USES_INTERNALS);

        assertThat(errors).hasSize(4);
        for (String p : List.of("dev.switchboard.api.internal", "dev.switchboard.engine.internal.persist",
                "dev.switchboard.health.internal", "dev.switchboard.tls.internal.hello")) {
            String module = p.substring(0, p.indexOf(".internal"));
            assertThat(errors).anySatisfy(e -> assertThat(e).contains("package " + p + " is not visible")
                    .contains("is declared in module " + module + ", which does not export it"));
        }
    }

    @Test
    void java_probeOnTheModulePath_usesTheApiAndIsDeniedEveryInternal() throws Exception {
        assertThat(compile(USES_API)).isEmpty();
        Path output = dir.resolve("probe.out");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", dir.resolve("classes") + File.pathSeparator + ModulePath.option(),
                "-m", "probe/probe.Main")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);

        assertThat(exited).as("exited within 60 s; output %s", lines).isTrue();
        assertThat(process.exitValue()).as("exit status; output %s", lines).isZero();
        assertThat(lines).contains(
                "forward 127.0.0.1:9001 /new/x",
                "hello NotTls",
                "health HTTP",
                "denied dev.switchboard.api.internal.Problems: IllegalAccessException",
                "denied dev.switchboard.engine.internal.persist.PersistenceStores: IllegalAccessException",
                "denied dev.switchboard.tls.internal.hello.HelloParser: IllegalAccessException",
                "denied dev.switchboard.tls.internal.hello.HelloParser: InaccessibleObjectException");
        assertThat(lines).noneMatch(l -> l.startsWith("reached "));
    }

    /** Compiles module {@code probe} with {@code main} as probe.Main into dir/classes; the errors, if any. */
    private List<String> compile(String main) throws IOException {
        Path src = dir.resolve("src");
        Files.createDirectories(src.resolve("probe"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("probe/Main.java"), main);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT,
                StandardCharsets.UTF_8)) {
            // an empty class path: by default javac in-process would take this test's, internals and all
            Path emptyClassPath = Files.createDirectories(dir.resolve("empty"));
            List<String> options = List.of("--module-path", ModulePath.option(),
                    "--class-path", emptyClassPath.toString(), "-d", dir.resolve("classes").toString());
            javac.getTask(null, files, diagnostics, options, null,
                    files.getJavaFileObjects(src.resolve("module-info.java"), src.resolve("probe/Main.java")))
                    .call();
        }
        List<String> errors = new ArrayList<>();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.add(d.getMessage(Locale.ROOT));
            }
        }
        return errors;
    }
}
