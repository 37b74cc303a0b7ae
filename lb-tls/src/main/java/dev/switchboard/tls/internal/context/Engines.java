package dev.switchboard.tls.internal.context;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.conscrypt.Conscrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Engine set-up shared by server and upstream contexts. Stateless and thread-safe. */
public final class Engines {

    private static final Logger log = LoggerFactory.getLogger(Engines.class);
    private static final Method SET_NAMED_GROUPS = findSetNamedGroups();
    private static final AtomicBoolean JDK_GROUPS_LOGGED = new AtomicBoolean();

    private Engines() {
    }

    /**
     * Sets the engine's mode, once, right after creation. Both providers require the call. A Conscrypt engine is
     * created in server mode, so for a server this is only a state change; for a client Conscrypt rebuilds its
     * native SSL object once (no public API creates a client-mode engine directly). Never call it twice.
     */
    public static void setMode(SSLEngine engine, boolean client) {
        engine.setUseClientMode(client);
    }

    /**
     * Makes {@code groups} (canonical names) the key-exchange groups of every engine {@code context} creates from
     * now on. On Conscrypt the context's parameters are shared with its socket factory, whose public
     * {@code Conscrypt.setNamedGroups} sets them; the tests check that the engines negotiate the first group.
     */
    public static void applyNamedGroups(SSLContext context, List<String> groups) {
        if (Providers.isConscrypt(context)) {
            Conscrypt.setNamedGroups(context.getSocketFactory(), groups.toArray(new String[0]));
        } else if (SET_NAMED_GROUPS == null && JDK_GROUPS_LOGGED.compareAndSet(false, true)) {
            log.info("the JDK provider on Java {} takes its key-exchange groups from the system property"
                    + " jdk.tls.namedGroups (now: {}); the configured {} apply on Conscrypt and on Java 20+",
                    Runtime.version().feature(), System.getProperty("jdk.tls.namedGroups", "unset"), groups);
        }
    }

    /** On Java 20+ with the JDK provider, puts the groups into {@code parameters}; otherwise does nothing. */
    public static void applyNamedGroups(SSLParameters parameters, List<String> jdkGroups) {
        if (SET_NAMED_GROUPS == null || jdkGroups.isEmpty()) {
            return;
        }
        try {
            SET_NAMED_GROUPS.invoke(parameters, (Object) jdkGroups.toArray(new String[0]));
        } catch (ReflectiveOperationException e) {
            log.debug("SSLParameters.setNamedGroups failed", e);
        }
    }

    /**
     * The cipher suites to set on an engine. BoringSSL always enables its three TLS 1.3 suites and cannot restrict
     * them; worse, Conscrypt derives the certificate key types it asks the key manager for from the TLS 1.2 suites
     * enabled, so a list of TLS 1.3 suites only would leave a server without a certificate ({@code
     * NO_CERTIFICATE_SET}). On Conscrypt the TLS 1.3 names are therefore dropped, and when nothing is left the
     * provider's defaults stay. Empty result: do not set.
     */
    public static String[] cipherSuites(boolean conscrypt, List<String> configured) {
        if (!conscrypt) {
            return configured.toArray(new String[0]);
        }
        return configured.stream().filter(s -> !s.startsWith("TLS_AES_") && !s.startsWith("TLS_CHACHA20_"))
                .toArray(String[]::new);
    }

    /** The JDK names of the canonical {@code groups} it supports. */
    public static List<String> jdkGroupNames(List<String> groups) {
        return groups.stream().map(g -> Settings.NAMED_GROUPS.getOrDefault(g, "")).filter(s -> !s.isEmpty())
                .toList();
    }

    private static Method findSetNamedGroups() {
        try {
            return SSLParameters.class.getMethod("setNamedGroups", String[].class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
