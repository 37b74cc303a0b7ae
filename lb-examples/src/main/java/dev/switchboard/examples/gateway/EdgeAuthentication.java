package dev.switchboard.examples.gateway;

import dev.switchboard.api.Authentication;
import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.LdapSettings;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.PreAuthentication;
import dev.switchboard.ldap.LdapAuthenticator;
import dev.switchboard.netty.GatewayListener;
import dev.switchboard.netty.HttpProxy;
import dev.switchboard.netty.HttpProxyChannels;
import dev.switchboard.netty.VirtualHostListener;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's pre-authentication: one {@link LdapAuthenticator} built from {@code authentication.ldap} and one
 * {@link PreAuthentication} (lockouts, check cache, SSO cookie) shared by every HTTP(S) listener. {@link #update}
 * rebuilds both only when the LDAP settings or the model's {@code authentication} changed (so a reload that
 * touches neither keeps the cache and the lockouts); the previous directory client is closed once {@link #applyTo}
 * has given the listeners the new one. Without an
 * {@code ldap} section the listeners get none and answer requests that need a check 501 (the configuration check
 * refuses such a file first: see {@link UnsupportedKeys}). Not thread-safe: the gateway calls it under its lock.
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

    private LdapSettings ldapSettings = LdapSettings.none();
    private Optional<Authentication> authentication = Optional.empty();
    private LdapAuthenticator ldap;
    private PreAuthentication preAuth;
    private LdapAuthenticator retired;

    /**
     * Makes the directory client and the coordinator for {@code config} when its LDAP settings or authentication
     * differ from the ones in use.
     *
     * @throws IllegalArgumentException when the LDAP settings cannot make a client (naming the value)
     */
    void update(GatewayConfig config, DispatchEngine engine) {
        LdapSettings nextLdap = config.ldap();
        Optional<Authentication> nextAuth = config.loadBalancer().findAuthentication();
        if (nextLdap.equals(ldapSettings) && nextAuth.equals(authentication) && (preAuth != null
                || !nextLdap.enabled())) {
            return;
        }
        LdapAuthenticator previous = ldap;
        if (nextLdap.enabled()) {
            LdapAuthenticator next = authenticator(nextLdap);
            PreAuthentication.Builder b = PreAuthentication.builder(next).recorder(engine.authenticationRecorder());
            nextAuth.ifPresent(b::authentication);
            ldap = next;
            preAuth = b.build();
            LOG.info("pre-authentication: LDAP {} ({})", nextLdap.url(), nextLdap.userDnPattern().isEmpty()
                    ? "search then bind" : "direct bind");
        } else {
            ldap = null;
            preAuth = null;
        }
        ldapSettings = nextLdap;
        authentication = nextAuth;
        retireAfterApply(previous);
    }

    /** The replaced client is closed once the listeners hold the new one ({@link #applyTo}). */
    private void retireAfterApply(LdapAuthenticator previous) {
        if (retired != null) {
            retired.close();
        }
        retired = previous;
    }

    /** The coordinator in use, if the configuration has an LDAP directory. */
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

    private static LdapAuthenticator authenticator(LdapSettings s) {
        LdapAuthenticator.Builder b = LdapAuthenticator.builder(s.url())
                .connectTimeout(s.connectTimeout())
                .timeout(s.responseTimeout());
        if (!s.userDnPattern().isEmpty()) {
            b.userDnPattern(s.userDnPattern());
        } else {
            b.bindDn(s.bindDn()).bindPassword(s.bindPassword()).userSearchBase(s.userSearchBase())
                    .userFilter(s.userFilter());
        }
        if (!s.requireGroup().isEmpty()) {
            b.requireGroup(s.requireGroup());
        }
        return b.build();
    }

    @Override
    public void close() {
        retireAfterApply(null);
        if (ldap != null) {
            ldap.close();
            ldap = null;
            preAuth = null;
        }
    }

    @Override
    public String toString() {
        return "EdgeAuthentication[" + (ldap == null ? "none" : Objects.toString(ldapSettings.url())) + "]";
    }
}
