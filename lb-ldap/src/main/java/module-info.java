/**
 * LDAP pre-authentication for Switchboard hosts: {@code LdapAuthenticator} ({@code dev.switchboard.ldap}), an
 * {@code Authenticator} that checks a user's name and password against a directory by direct bind or
 * search-then-bind, with an optional required group, over ldap://, ldaps:// or StartTLS. The UnboundID LDAP SDK is
 * an implementation detail: no UnboundID type appears in the exported API.
 */
@SuppressWarnings("requires-automatic")   // each automatic module required is named below
module dev.switchboard.ldap {
    requires transitive dev.switchboard.api;
    requires transitive dev.switchboard.tls;   // UpstreamTlsConfig: the trust settings of ldaps:// and StartTLS

    requires unboundid.ldapsdk;   // automatic module name derived from unboundid-ldapsdk-7.0.3.jar (no manifest entry)
    requires org.slf4j;

    exports dev.switchboard.ldap;
}
