package dev.switchboard.examples.gateway;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The gateway's parsed command line; {@link #parse} throws {@link IllegalArgumentException} naming the flag.
 * {@code demoBackends}: with {@code --config}, also start the demo's real servers (ex01..ex03 on
 * {@code backendPort + 1..3}), so that a configuration can be tried with nothing else running.
 */
record CommandLine(Optional<Path> config, boolean check, boolean help, int port, int adminPort, int backendPort,
        boolean demoBackends) {

    static CommandLine parse(String[] args) {
        Path config = null;
        boolean check = false;
        boolean help = false;
        boolean demoBackends = false;
        int port = 8080;
        int adminPort = 9000;
        int backendPort = 9101;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config" -> config = Path.of(value(args, ++i, arg));
                case "--check" -> check = true;
                case "--help", "-h" -> help = true;
                case "--demo-backends" -> demoBackends = true;
                case "--port" -> port = port(value(args, ++i, arg), arg);
                case "--admin-port" -> adminPort = port(value(args, ++i, arg), arg);
                case "--backend-port" -> backendPort = port(value(args, ++i, arg), arg);
                default -> throw new IllegalArgumentException(arg + ": unknown argument");
            }
        }
        if (check && config == null) {
            throw new IllegalArgumentException("--check: needs --config FILE");
        }
        if (demoBackends && config == null) {
            throw new IllegalArgumentException("--demo-backends: needs --config FILE (the demo starts them anyway)");
        }
        return new CommandLine(Optional.ofNullable(config), check, help, port, adminPort, backendPort, demoBackends);
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(flag + ": missing value");
        }
        return args[i];
    }

    private static int port(String value, String flag) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(flag + ": not a port (expected: 0..65535, got " + value + ")");
    }
}
