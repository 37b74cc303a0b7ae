package dev.switchboard.examples.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.config.GatewayConfig;
import dev.switchboard.config.GatewayConfigReader;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.PreAuthentication;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway's pre-authentication follows the configuration: the same settings keep the coordinator (its cache
 * and lockouts), other LDAP settings or another realm make a new one, no {@code authentication} section none, and
 * close drops it. The directories are real (in-memory LDAP on loopback).
 */
class EdgeAuthenticationTest {

    @TempDir
    Path dir;

    private GatewayConfig config(String ldapUrl, String realm) {
        return GatewayConfigReader.parse("""
                { "authentication": { "realm": "%s",
                    "ldap": { "url": "%s", "userDnPattern": "%s" } },
                  "virtualServices": [ { "name": "eas", "listen": "127.0.0.1:0", "protocol": "http", "auth": "basic",
                    "subServices": [ { "name": "eas", "default": true,
                      "realServers": [ { "name": "b1", "address": "127.0.0.1:9001" } ] } ] } ] }
                """.formatted(realm, ldapUrl, MailDirectory.DN_PATTERN), dir);
    }

    private GatewayConfig withoutAuthentication() {
        return GatewayConfigReader.parse("""
                { "virtualServices": [ { "name": "eas", "listen": "127.0.0.1:0", "protocol": "http",
                    "subServices": [ { "name": "eas", "default": true,
                      "realServers": [ { "name": "b1", "address": "127.0.0.1:9001" } ] } ] } ] }
                """, dir);
    }

    @Test
    void sameSettingsKeep_otherSettingsRebuild_noneDrops_closeDrops() throws Exception {
        try (MailDirectory a = new MailDirectory(); MailDirectory b = new MailDirectory();
                DispatchEngine engine = DispatchEngine.create(config(a.url(), "mail").loadBalancer());
                EdgeAuthentication edge = new EdgeAuthentication()) {
            edge.update(config(a.url(), "mail"), engine);
            PreAuthentication first = edge.findPreAuthentication().orElseThrow();
            edge.update(config(a.url(), "mail"), engine);
            assertThat(edge.findPreAuthentication()).containsSame(first);
            edge.update(config(b.url(), "mail"), engine);
            PreAuthentication second = edge.findPreAuthentication().orElseThrow();
            assertThat(second).isNotSameAs(first);
            edge.update(config(b.url(), "other realm"), engine);
            assertThat(edge.findPreAuthentication().orElseThrow()).isNotSameAs(second);
            edge.update(withoutAuthentication(), engine);
            assertThat(edge.findPreAuthentication()).isEmpty();
            edge.update(config(a.url(), "mail"), engine);
            assertThat(edge.findPreAuthentication()).isPresent();
            edge.close();
            assertThat(edge.findPreAuthentication()).isEmpty();
        }
    }
}
