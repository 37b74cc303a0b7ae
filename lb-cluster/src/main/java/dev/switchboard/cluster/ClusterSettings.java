package dev.switchboard.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/** A member's checked settings. Immutable. */
record ClusterSettings(String name, String member, String host, int port, String bindHost, int bindPort,
        List<String> members, String secret,
        Duration batchInterval, Duration syncTimeout, LongSupplier wallClock) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    /** The values as set on the builder; {@link #check} validates them. Not thread-safe. */
    static final class Draft {
        String name;
        String member;
        String bind;
        List<String> members = List.of();
        String secret = "";
        Duration batchInterval = Duration.ofMillis(50);
        Duration syncTimeout = Duration.ofSeconds(10);
        LongSupplier wallClock = System::currentTimeMillis;

        ClusterSettings check() {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: 1 to 64 of [A-Za-z0-9._-])");
            }
            if (member == null) {
                throw new IllegalArgumentException("member: null (expected: host:port)");
            }
            InetAddress address = parseHost("member", member);
            int port = parsePort("member", member);
            String bindHost = address.getHostAddress();
            int bindPort = port;
            if (bind != null) {
                bindHost = parseHost("bind", bind).getHostAddress();
                bindPort = parsePort("bind", bind);
            }
            List<String> all = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                String m = members.get(i);
                String field = "members[" + i + "]";
                if (m == null) {
                    throw new IllegalArgumentException(field + ": null (expected: host:port)");
                }
                parseHost(field, m);
                parsePort(field, m);
                all.add(m);
            }
            if (!all.contains(member)) {
                all.add(member);
            }
            if (secret.isEmpty() && !address.isLoopbackAddress()) {
                throw new IllegalArgumentException("secret: empty, but member '" + member + "' is not a loopback "
                        + "address (members on a network must share a secret)");
            }
            checkDuration("batchInterval", batchInterval, Duration.ofMillis(1), Duration.ofSeconds(10));
            checkDuration("syncTimeout", syncTimeout, Duration.ofMillis(1), Duration.ofMinutes(10));
            return new ClusterSettings(name, member, address.getHostAddress(), port, bindHost, bindPort,
                    List.copyOf(all), secret,
                    batchInterval, syncTimeout, wallClock);
        }
    }

    /** Whether the member listens on another address than the one its peers reach it at. */
    boolean bindsElsewhere() {
        return !(bindHost.equals(host) && bindPort == port);
    }

    private static void checkDuration(String field, Duration d, Duration min, Duration max) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(field + ": " + d + " (expected: " + min + " to " + max + ")");
        }
    }

    private static InetAddress parseHost(String field, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        String host = colon <= 0 ? "" : hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || !IP_LITERAL.matcher(host).matches()) {
            throw new IllegalArgumentException(field + ": '" + hostPort + "' (expected: ip:port, an IP literal)");
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(field + ": '" + hostPort + "' (expected: ip:port, an IP literal)");
        }
    }

    private static int parsePort(String field, String hostPort) {
        String port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(field + ": '" + hostPort + "' (expected: a port from 1 to 65535)");
    }
}
