/**
 * The reference gateway's JSON configuration file read into the model ({@code LoadBalancer}), lb-netty's listener
 * settings and the admin settings, every error named by its path: {@code dev.switchboard.config}
 * ({@code GatewayConfigReader}, {@code GatewayConfig}, {@code ConfigFileException}).
 */
@SuppressWarnings("requires-automatic")   // re2j: see lb-engine's module-info
module dev.switchboard.config {
    requires transitive dev.switchboard.netty;

    requires com.fasterxml.jackson.databind;
    requires dev.switchboard.health;        // checks the body patterns and CA files of health checks
    // re2j 1.8 has no Automatic-Module-Name: see lb-engine's module-info. Regular expressions are checked as the
    // engine will compile them.
    requires re2j;

    exports dev.switchboard.config;
}
