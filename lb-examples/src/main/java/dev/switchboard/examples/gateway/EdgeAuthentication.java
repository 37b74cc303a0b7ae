package dev.switchboard.examples.gateway;

import dev.switchboard.api.Authentication;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.LdapSettings;
import dev.switchboard.config.RadiusSettings;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.PreAuthentication;
import dev.switchboard.ldap.LdapAuthenticator;
import dev.switchboard.netty.GatewayListener;
import dev.switchboard.netty.HttpProxy;
import dev.switchboard.netty.HttpProxyChannels;
import dev.switchboard.netty.VirtualHostListener;
import dev.switchboard.radius.RadiusAuthenticator;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's pre-authentication: one directory client, an {@link LdapAuthenticator} built from {@code
 * authentication.ldap} or a {@link RadiusAuthenticator} from {@code authentication.radius}, and one {@link
 * PreAuthentication} (lockouts, check cache, SSO cookie) shared by every HTTP(S) listener. {@link #update} rebuilds
 * both only when the directory's settings (either kind, or a change of kind) or the model's {@code authentication}
 * changed (so a reload that touches neither keeps the cache and the lockouts); the previous directory client is
 * closed once {@link #applyTo} has given the listeners the new one. Without a directory the listeners get none and
 * answer requests that need a check 501 (the configuration check refuses such a file first: see {@link
 * UnsupportedKeys}). Not thread-safe: the gateway calls it under its lock.
 *
 * <pre>{@code
 * EdgeAuthentication edge = new EdgeAuthentication();
 * edge.update(config, engine);
 * edge.applyTo(listeners.values());
 * ...
 * edge.close();
 * }</pre>
 */
final class EdgeAuthentication implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EdgeAuthentication.class);

    /** A directory client and how to close it. */
    private record Directory(Authenticator authenticator, Runnable close) {
    }

    private LdapSettings ldapSettings = LdapSettings.none();
    private RadiusSettings radiusSettings = RadiusSettings.none();
    private Optional<Authentication> authentication = Optional.empty();
    private Directory directory;
    private PreAuthentication preAuth;
    private Directory retired;

    /**
     * Makes the directory client and the coordinator for {@code config} when its directory settings or
     * authentication differ from the ones in use.
     *
     * @throws IllegalArgumentException when the directory settings cannot make a client (naming the value; a
     *         {@link dev.switchboard.api.ConfigurationException} never shows a password or a shared secret)
     */
    void update(GatewayConfig config, DispatchEngine engine) {
        LdapSettings nextLdap = config.ldap();
        RadiusSettings nextRadius = config.radius();
        Optional<Authentication> nextAuth = config.loadBalancer().findAuthentication();
        if (nextLdap.equals(ldapSettings) && nextRadius.equals(radiusSettings) && nextAuth.equals(authentication)
                && (preAuth != null || !config.hasDirectory())) {
            return;
        }
        Directory previous = directory;
        if (config.hasDirectory()) {
            Directory next = nextLdap.enabled() ? ldap(nextLdap) : radius(nextRadius);
            PreAuthentication.Builder b = PreAuthentication.builder(next.authenticator())
                    .recorder(engine.authenticationRecorder()).revocations(engine.ssoRevocations());
            nextAuth.ifPresent(b::authentication);
            directory = next;
            preAuth = b.build();
        } else {
            directory = null;
            preAuth = null;
        }
        ldapSettings = nextLdap;
        radiusSettings = nextRadius;
        authentication = nextAuth;
        retireAfterApply(previous);
    }

    /** The replaced client is closed once the listeners hold the new one ({@link #applyTo}). */
    private void retireAfterApply(Directory previous) {
        if (retired != null) {
            retired.close().run();
        }
        retired = previous;
    }

    /** The coordinator in use, if the configuration has a directory. */
    Optional<PreAuthentication> findPreAuthentication() {
        return Optional.ofNullable(preAuth);
    }

    /**
     * Gives every HTTP(S) listener of {@code listeners} the coordinator in use (or takes it away), then closes the
     * client it replaced: checks still waiting on that one answer unavailable (503), never a stale verdict.
     */
    void applyTo(Collection<GatewayListener> listeners) {
        for (GatewayListener listener : listeners) {
            if (listener instanceof HttpProxy http) {
                apply(http.channels());
            } else if (listener instanceof VirtualHostListener shared) {
                shared.virtualServices().forEach(vs -> apply(shared.channels(vs)));
            }
        }
        retireAfterApply(null);
    }

    private void apply(HttpProxyChannels channels) {
        if (preAuth != null) {
            channels.preAuthentication(preAuth);
        } else {
            channels.noPreAuthentication();
        }
    }

    private static Directory ldap(LdapSettings s) {
        LdapAuthenticator.Builder b = LdapAuthenticator.builder(s.url())
                .connectTimeout(s.connectTimeout())
                .timeout(s.responseTimeout())
                .startTls(s.startTls())
                .maxConnections(s.maxConnections())
                .maxPending(s.maxPending());
        s.findTrust().ifPresent(b::tls);
        if (!s.userDnPattern().isEmpty()) {
            b.userDnPattern(s.userDnPattern());
        } else {
            b.bindDn(s.bindDn()).bindPassword(s.bindPassword()).userSearchBase(s.userSearchBase())
                    .userFilter(s.userFilter());
        }
        if (!s.requireGroup().isEmpty()) {
            b.requireGroup(s.requireGroup());
        }
        LdapAuthenticator ldap = b.build();
        LOG.info("pre-authentication: LDAP {}", s);
        return new Directory(ldap, ldap::close);
    }

    private static Directory radius(RadiusSettings s) {
        RadiusAuthenticator radius = RadiusAuthenticator.builder(s.address()).secret(s.secret())
                .timeout(s.timeout()).attempts(s.attempts()).nasIdentifier(s.nasIdentifier())
                .maxConcurrent(s.maxConcurrent()).maxPending(s.maxPending()).build();
        LOG.info("pre-authentication: {}", s);
        return new Directory(radius, radius::close);
    }

    @Override
    public void close() {
        retireAfterApply(null);
        if (directory != null) {
            directory.close().run();
            directory = null;
            preAuth = null;
        }
    }

    @Override
    public String toString() {
        return "EdgeAuthentication[" + (directory == null ? "none" : Objects.toString(directory.authenticator()))
                + "]";
    }
}
