package dev.switchboard.examples.gateway;

import dev.switchboard.config.ConfigCheck;
import dev.switchboard.config.ConfigFileException;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.examples.demo.DemoConfig;
import dev.switchboard.examples.demo.DemoFleet;
import dev.switchboard.netty.transport.BufferCaches;
import io.netty.util.ResourceLeakDetector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The reference gateway's command line (see {@code gateway-contract.md}):
 *
 * <pre>
 * java -jar lb-gateway.jar                              the demo: embedded real servers + the gateway in front
 * java -jar lb-gateway.jar --config FILE.json           a gateway from a configuration file
 * java -jar lb-gateway.jar --config FILE.json --check   validate only: exit 0, or exit 2 with the errors
 * java -jar lb-gateway.jar --config FILE.json --demo-backends   also start the demo's real servers (ex01..ex03 on
 *                                                       --backend-port + 1..3, default 9102..9104)
 * </pre>
 *
 * Prints {@code ready} once every listener is bound (and, with a {@code cluster} section, once the member has joined
 * and loaded its peers' persistence entries). SIGTERM stops accepting, lets in-flight requests finish (bounded by
 * {@code timeouts.shutdown}) and exits 0; SIGHUP reloads the file (a changed {@code cluster} section is refused: it
 * needs a restart). Exit codes: 0 fine, 1 could not start (e.g. a port in use), 2 invalid configuration or
 * arguments.
 */
public final class GatewayMain {

    private static final Logger LOG = LoggerFactory.getLogger(GatewayMain.class);
    private static final String USAGE = String.join(System.lineSeparator(),
            "usage: java -jar lb-gateway.jar [--config FILE.json [--check | --demo-backends [--backend-port 9101]]]",
            "       java -jar lb-gateway.jar [--port 8080] [--admin-port 9000] [--backend-port 9101]   (the demo)");

    private GatewayMain() {
    }

    public static void main(String[] args) {
        BufferCaches.keepUnlessSet(); // first: Netty reads it once, when its allocator is first used
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            // Netty samples one buffer in 128 with a stack trace to find leaks (its stack traces show in the
            // request path's allocation profile); the runnable gateway turns it off unless asked
            // (-Dio.netty.leakDetection.level=simple), tests keep it on.
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /** Runs the command line; returns the exit code once the gateway has stopped (or at once for --check). */
    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine line;
        try {
            line = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println(USAGE);
            return 2;
        }
        if (line.help()) {
            out.println(USAGE);
            return 0;
        }
        if (line.config().isEmpty()) {
            return runDemo(line, out, err);
        }
        Path file = line.config().get();
        if (line.check()) {
            return ConfigCheck.checkWith(file, Gateway::read, out, err);
        }
        if (!Files.isReadable(file)) {
            err.println("--config: cannot read the file (got " + file + ")");
            return 2;
        }
        GatewayConfig config;
        try {
            config = Gateway.read(file);
        } catch (ConfigFileException e) {
            e.errors().forEach(err::println);
            return 2;
        }
        Optional<AutoCloseable> backends = Optional.empty();
        if (line.demoBackends()) {
            try {
                backends = Optional.of(DemoFleet.start(line.backendPort()));
            } catch (RuntimeException e) {
                err.println("--demo-backends: cannot start the real servers on port " + line.backendPort() + "+: "
                        + e.getMessage());
                return 1;
            }
        }
        return serve(() -> Gateway.start(config, file), out, err, backends, false);
    }

    private static int runDemo(CommandLine line, PrintStream out, PrintStream err) {
        DemoFleet fleet;
        try {
            fleet = DemoFleet.start(line.backendPort());
        } catch (RuntimeException e) {
            err.println("demo: cannot start the real servers on port " + line.backendPort() + "+: " + e.getMessage());
            return 1;
        }
        GatewayConfig config = DemoConfig.demoConfig(fleet, line.port(), line.adminPort());
        return serve(() -> Gateway.start(config), out, err, Optional.of(fleet), true);
    }

    private interface Starter {
        Gateway start();
    }

    private static int serve(Starter starter, PrintStream out, PrintStream err, Optional<AutoCloseable> backends,
            boolean demo) {
        Gateway gateway;
        try {
            gateway = starter.start();
        } catch (RuntimeException e) {
            err.println("cannot start: " + e.getMessage());
            closeQuietly(backends);
            return 1;
        }
        installSignals(gateway);
        if (demo) {
            printDemoHelp(gateway, out);
        }
        out.println("ready");
        out.flush();
        gateway.awaitStop();
        closeQuietly(backends);
        return 0;
    }

    private static void printDemoHelp(Gateway gateway, PrintStream out) {
        String mail = "http://" + Gateway.hostPort(gateway.address("mail"));
        out.println("Switchboard demo: three real servers (ex01, ex02, ex03) with five workloads each, behind " + mail);
        out.println("  try:   curl -i " + mail + "/owa/          (active cookie, 45 min affinity)");
        out.println("         curl -i " + mail + "/EWS/Exchange.asmx   (any letter case; source-ip persistence)");
        out.println("         curl -i " + mail + "/                (rewritten to /owa)");
        gateway.findAdminAddress().ifPresent(a -> {
            String admin = "http://" + Gateway.hostPort(a);
            out.println("  stats: " + admin + "/            (HTML)   " + admin + "/api/stats   (JSON)");
            out.println("  drain: curl -X PUT -d '{\"state\":\"draining\"}' " + admin + "/api/real-servers/ex01/state");
        });
    }

    private static void installSignals(Gateway gateway) {
        try {
            Signal.handle(new Signal("TERM"), s -> {
                Duration grace = grace(gateway);
                LOG.info("SIGTERM: stopping (in-flight requests get up to {})", grace);
                gateway.stop(grace);
            });
            Signal.handle(new Signal("INT"), s -> gateway.stop(grace(gateway)));
        } catch (IllegalArgumentException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> gateway.stop(grace(gateway)).join()));
        }
        try {
            Signal.handle(new Signal("HUP"), s -> reload(gateway));
        } catch (IllegalArgumentException e) {
            LOG.debug("no SIGHUP on this platform; POST /api/reload instead");
        }
    }

    /** The shutdown grace of the configuration in force now (a reload may have changed it). */
    private static Duration grace(Gateway gateway) {
        return gateway.config().listeners().isEmpty() ? Duration.ofSeconds(10)
                : gateway.config().listeners().get(0).timeouts().shutdown();
    }

    /** SIGHUP: reads the file again and swaps it in; a bad file is logged and the gateway runs on unchanged. */
    private static void reload(Gateway gateway) {
        try {
            gateway.reload();
            LOG.info("SIGHUP: configuration reloaded");
        } catch (ConfigFileException e) {
            LOG.warn("SIGHUP: configuration not reloaded:{}{}", System.lineSeparator(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("SIGHUP: configuration not reloaded: {}", e.getMessage());
        }
    }

    private static void closeQuietly(Optional<AutoCloseable> resource) {
        resource.ifPresent(r -> {
            try {
                r.close();
            } catch (Exception e) {
                LOG.debug("closing the demo real servers", e);
            }
        });
    }
}
