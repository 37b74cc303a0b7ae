package dev.switchboard.config;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The gateway's {@code --config FILE --check}: reads the file, says {@code ok: N virtual services} and returns 0,
 * or prints every error line on {@code err} and returns 2.
 *
 * <pre>{@code
 * System.exit(ConfigCheck.check(Path.of(args[1]), System.out, System.err));
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigCheck {

    /** The exit code of a valid file. */
    public static final int OK = 0;
    /** The exit code of an invalid file, as the contract fixes it. */
    public static final int INVALID = 2;

    private ConfigCheck() {
    }

    /** Checks {@code file}; returns the process exit code. Never throws for a bad file. */
    public static int check(Path file, PrintStream out, PrintStream err) {
        return check(file, ClusterValueCheck.NONE, out, err);
    }

    /**
     * Checks {@code file}, judging the values of its {@code cluster} section with {@code cluster}; returns the
     * process exit code. Never throws for a bad file.
     */
    public static int check(Path file, ClusterValueCheck cluster, PrintStream out, PrintStream err) {
        return checkWith(file, f -> GatewayConfigReader.read(f, cluster), out, err);
    }

    /**
     * Checks {@code file} with {@code reader} (a gateway's own reading: the reader's rules plus what that gateway
     * refuses, each as a {@link ConfigFileException}); returns the process exit code.
     */
    public static int checkWith(Path file, Function<Path, GatewayConfig> reader, PrintStream out,
            PrintStream err) {
        try {
            GatewayConfig config = reader.apply(file);
            int n = config.loadBalancer().virtualServices().size();
            out.println("ok: " + n + " virtual service" + (n == 1 ? "" : "s"));
            return OK;
        } catch (ConfigFileException e) {
            e.errors().forEach(err::println);
            return INVALID;
        }
    }
}
