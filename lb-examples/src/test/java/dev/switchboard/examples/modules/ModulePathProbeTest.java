package dev.switchboard.examples.modules;

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
 * A module-path user, for real: a tiny module {@code probe} that requires lb-config and lb-health (and through
 * them lb-netty, lb-engine, lb-tls, lb-api) is compiled with javac and run with {@code java --module-path}, against
 * the classes and jars this build uses. It may use the API; it may not compile against an internal package, and
 * reflection into one fails at run time. The run also shows that the descriptors' {@code requires} resolve with
 * the real dependency jars (Netty's modules, jackson-databind, re2j, Caffeine, Conscrypt, OkHttp, resilience4j,
 * slf4j-api) and that the API works there end to end: a JSON configuration read by {@code GatewayConfigReader},
 * its health check probing a real server through {@code HealthChecker}, and a request through an
 * {@code HttpProxy} bound on 127.0.0.1 port 0, its path rewritten by the engine (re2j).
 */
class ModulePathProbeTest {

    private static final String MODULE_INFO = """
            module probe {
                requires dev.switchboard.config;    // and, transitively, netty, engine, tls, api
                requires dev.switchboard.health;
                requires java.net.http;
                requires jdk.httpserver;
            }
            """;

    private static final String USES_INTERNALS = """
            package probe;

            import dev.switchboard.engine.internal.persist.PersistenceStores;
            import dev.switchboard.health.internal.HealthLoop;
            import dev.switchboard.netty.internal.http.ProxyContext;
            import dev.switchboard.tls.internal.hello.HelloParser;

            public class Main {
            }
            """;

    /** The backend's port is put in for BACKEND. */
    private static final String CONFIG = """
            { "virtualServices": [ { "name": "web", "listen": "127.0.0.1:0", "protocol": "http",
                "subServices": [ { "name": "app", "default": true,
                  "requestRules": [ { "action": "rewrite-path", "pattern": "^/old/(.*)$", "replacement": "/new/$1" } ],
                  "healthCheck": { "type": "http", "path": "/health", "bodyPattern": "(?i)ok", "interval": "200ms" },
                  "realServers": [ { "name": "app1", "address": "BACKEND" } ] } ] } ] }
            """;

    private static final String USES_API = """
            package probe;

            import com.sun.net.httpserver.HttpExchange;
            import com.sun.net.httpserver.HttpServer;
            import dev.switchboard.api.Health;
            import dev.switchboard.api.LoadBalancer;
            import dev.switchboard.config.GatewayConfig;
            import dev.switchboard.config.GatewayConfigReader;
            import dev.switchboard.engine.DispatchEngine;
            import dev.switchboard.health.HealthChecker;
            import dev.switchboard.health.HealthListener;
            import dev.switchboard.health.HealthTransition;
            import dev.switchboard.netty.HttpProxy;
            import dev.switchboard.netty.transport.NettyTransport;
            import dev.switchboard.tls.TlsHellos;
            import java.io.IOException;
            import java.net.InetSocketAddress;
            import java.net.URI;
            import java.net.http.HttpClient;
            import java.net.http.HttpRequest;
            import java.net.http.HttpResponse;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Path;
            import java.time.Duration;
            import java.util.concurrent.CountDownLatch;
            import java.util.concurrent.TimeUnit;

            public class Main {
                public static void main(String[] args) throws Exception {
                    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                    backend.createContext("/health", x -> answer(x, "OK"));
                    backend.createContext("/new/", x -> answer(x, "hello from " + x.getRequestURI().getPath()));
                    backend.start();
                    try {
                        proxy(args[0].replace("BACKEND", "127.0.0.1:" + backend.getAddress().getPort()));
                    } finally {
                        backend.stop(0);
                    }

                    byte[] plain = "GET / HTTP/1.1".getBytes(StandardCharsets.US_ASCII);
                    System.out.println("hello " + TlsHellos.parseClientHello(plain, 0, plain.length)
                            .getClass().getSimpleName());

                    deny("dev.switchboard.api.Problems", c -> c.getDeclaredConstructor().newInstance());
                    deny("dev.switchboard.engine.internal.persist.PersistenceStores",
                            c -> c.getMethod("caffeine").invoke(null));
                    deny("dev.switchboard.health.internal.BodyPatterns",
                            c -> c.getMethod("compiled", String.class).invoke(null, "ok"));
                    deny("dev.switchboard.netty.internal.upstream.HeaderLines",
                            c -> c.getField("CHUNKED_ONLY").get(null));
                    deny("dev.switchboard.tls.internal.hello.HelloParser",
                            c -> c.getField("MAX_HELLO_LENGTH").getInt(null));
                    deny("dev.switchboard.tls.internal.hello.HelloParser",
                            c -> { c.getField("MAX_HELLO_LENGTH").setAccessible(true); return null; });
                }

                static void proxy(String json) throws Exception {
                    GatewayConfig config = GatewayConfigReader.parse(json, Path.of("."));
                    LoadBalancer lb = config.loadBalancer();
                    System.out.println("config " + lb.virtualServices().get(0).subServices().get(0)
                            .findHealthCheck().orElseThrow().type() + " " + config.listeners().get(0).listen());
                    CountDownLatch up = new CountDownLatch(1);
                    HealthListener listener = new HealthListener() {
                        @Override
                        public void onTransition(HealthTransition t) {
                            if (t.to() == Health.UP) {
                                up.countDown();
                            }
                        }
                    };
                    try (DispatchEngine engine = DispatchEngine.create(lb);
                            HealthChecker checker = HealthChecker.builder(engine).listener(listener).build();
                            NettyTransport transport = NettyTransport.create(1, false)) {
                        checker.apply(lb).toCompletableFuture().get(10, TimeUnit.SECONDS);
                        System.out.println("health " + (up.await(10, TimeUnit.SECONDS) ? "up" : "never up"));
                        HttpProxy proxy = HttpProxy.bind(transport, engine, config.listeners().get(0));
                        try {
                            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + proxy.localAddress().getPort() + "/old/x"))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                            System.out.println("proxied " + r.statusCode() + " " + r.body());
                        } finally {
                            proxy.close(Duration.ZERO).get(10, TimeUnit.SECONDS);
                        }
                        System.out.println("closed " + transport.name());
                    }
                }

                static void answer(HttpExchange x, String body) throws IOException {
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    x.sendResponseHeaders(200, bytes.length);
                    x.getResponseBody().write(bytes);
                    x.close();
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
        for (String p : List.of("dev.switchboard.engine.internal.persist",
                "dev.switchboard.health.internal", "dev.switchboard.netty.internal.http",
                "dev.switchboard.tls.internal.hello")) {
            String module = p.substring(0, p.indexOf(".internal"));
            assertThat(errors).anySatisfy(e -> assertThat(e).contains("package " + p + " is not visible")
                    .contains("is declared in module " + module + ", which does not export it"));
        }
    }

    @Test
    void java_probeOnTheModulePath_readsConfigProxiesAndIsDeniedEveryInternal() throws Exception {
        assertThat(compile(USES_API)).isEmpty();
        Path output = dir.resolve("probe.out");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--module-path", dir.resolve("classes") + File.pathSeparator + ModulePath.option(),
                "-m", "probe/probe.Main", CONFIG)
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        boolean exited = process.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);

        assertThat(exited).as("exited within 60 s; output %s", lines).isTrue();
        assertThat(process.exitValue()).as("exit status; output %s", lines).isZero();
        assertThat(lines).containsSubsequence(
                "config HTTP 127.0.0.1:0",
                "health up",
                "proxied 200 hello from /new/x",
                "closed nio",
                "hello NotTls",
                "denied dev.switchboard.api.Problems: IllegalAccessException",
                "denied dev.switchboard.engine.internal.persist.PersistenceStores: IllegalAccessException",
                "denied dev.switchboard.health.internal.BodyPatterns: IllegalAccessException",
                "denied dev.switchboard.netty.internal.upstream.HeaderLines: IllegalAccessException",
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
