/**
 * TLS for Switchboard hosts: {@code dev.switchboard.tls} (server and upstream contexts on Conscrypt with a JDK
 * fallback, SNI certificate selection, session IDs, certificate reload, and the ClientHello/ServerHello reader for
 * layer-4 passthrough). Everything in {@code dev.switchboard.tls.internal.*} is implementation and not exported.
 */
@SuppressWarnings("requires-automatic")   // each automatic module required is named below
module dev.switchboard.tls {
    requires transitive dev.switchboard.api;

    requires java.naming;       // javax.naming.ldap.LdapName: subject names of certificates
    requires org.conscrypt;     // Automatic-Module-Name of conscrypt-openjdk-uber
    requires org.slf4j;

    exports dev.switchboard.tls;
}
