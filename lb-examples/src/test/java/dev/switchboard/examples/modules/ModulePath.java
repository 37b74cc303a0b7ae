package dev.switchboard.examples.modules;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.module.ModuleReference;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Where the library modules and their run-time dependencies are on this test's class path (a {@code target/classes}
 * directory or a jar each), so that a module path can be made of them. Stateless.
 */
final class ModulePath {

    private ModulePath() {
    }

    /** lb-api, lb-engine, lb-tls, lb-health, lb-netty, lb-config, lb-cluster. */
    static List<Path> libraries() {
        return locations(dev.switchboard.api.LoadBalancer.class, dev.switchboard.engine.DispatchEngine.class,
                dev.switchboard.tls.TlsHellos.class, dev.switchboard.health.HealthChecker.class,
                dev.switchboard.netty.HttpProxy.class, dev.switchboard.config.GatewayConfigReader.class,
                dev.switchboard.cluster.ClusterMember.class, dev.switchboard.micrometer.SwitchboardMetrics.class,
                dev.switchboard.micrometer.prometheus.PrometheusLatencyPublisher.class,
                dev.switchboard.ldap.LdapAuthenticator.class, dev.switchboard.radius.RadiusAuthenticator.class);
    }

    /**
     * What the library modules require at run time, and what those require in turn: one class of each jar (Netty's
     * native epoll and io_uring jars, which hold no class, are left out: without them NettyTransport runs NIO).
     */
    static List<Path> dependencies() {
        return locations(named("org.slf4j.Logger"), named("com.github.benmanes.caffeine.cache.Caffeine"),
                named("com.google.re2j.Pattern"), named("org.conscrypt.Conscrypt"), named("okhttp3.OkHttpClient"),
                named("okio.Buffer"), named("kotlin.Unit"),
                named("io.github.resilience4j.circuitbreaker.CircuitBreaker"),
                named("io.github.resilience4j.core.IntervalFunction"),
                named("io.netty.util.Version"), named("io.netty.buffer.ByteBuf"),
                named("io.netty.resolver.AddressResolver"), named("io.netty.channel.Channel"),
                named("io.netty.channel.unix.Socket"), named("io.netty.channel.epoll.Epoll"),
                named("io.netty.channel.uring.IoUring"),
                named("io.netty.handler.codec.ByteToMessageDecoder"), named("io.netty.handler.ssl.SslContext"),
                named("io.netty.handler.codec.http.HttpObjectDecoder"),
                named("io.netty.handler.codec.http2.Http2FrameCodec"),
                named("io.netty.handler.codec.haproxy.HAProxyMessageDecoder"),
                named("com.fasterxml.jackson.databind.ObjectMapper"), named("com.fasterxml.jackson.core.JsonParser"),
                named("com.fasterxml.jackson.annotation.JsonProperty"), named("com.hazelcast.core.HazelcastInstance"),
                named("io.micrometer.core.instrument.MeterRegistry"), named("com.unboundid.ldap.sdk.LDAPConnection"),
                named("org.aaa4j.radius.client.RadiusClient"), named("org.aaa4j.radius.core.packet.Packet"),
                named("io.micrometer.prometheusmetrics.PrometheusMeterRegistry"),
                named("io.prometheus.metrics.model.registry.PrometheusRegistry"));
    }

    /** Both, libraries first. */
    static List<Path> all() {
        List<Path> all = new ArrayList<>(libraries());
        all.addAll(dependencies());
        return all;
    }

    /** {@code all()} joined for a {@code --module-path} option. */
    static String option() {
        return String.join(File.pathSeparator, all().stream().map(Path::toString).toList());
    }

    /** An automatic module whose name was derived from its jar's file name (no Automatic-Module-Name). */
    static boolean isFileNamed(ModuleReference ref) {
        if (!ref.descriptor().isAutomatic()) {
            return false;
        }
        Path path = Path.of(ref.location().orElseThrow());
        if (Files.isDirectory(path)) {
            return true;
        }
        try (JarFile jar = new JarFile(path.toFile())) {
            Manifest manifest = jar.getManifest();
            return manifest == null || manifest.getMainAttributes().getValue("Automatic-Module-Name") == null;
        } catch (IOException e) {
            throw new UncheckedIOException(path.toString(), e);
        }
    }

    /** By name: some of these are only transitive dependencies of the libraries, not to be compiled against. */
    private static Class<?> named(String name) {
        try {
            return Class.forName(name, false, ModulePath.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is not on the test class path", e);
        }
    }

    private static List<Path> locations(Class<?>... classes) {
        LinkedHashSet<Path> paths = new LinkedHashSet<>();
        for (Class<?> c : classes) {
            try {
                paths.add(Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (URISyntaxException e) {
                throw new IllegalStateException(c.getName(), e);
            }
        }
        return List.copyOf(paths);
    }
}
