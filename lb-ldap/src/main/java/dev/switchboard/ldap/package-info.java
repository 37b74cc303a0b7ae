/**
 * LDAP pre-authentication: {@link dev.switchboard.ldap.LdapAuthenticator}, an
 * {@link dev.switchboard.api.spi.Authenticator} on the UnboundID LDAP SDK. Everything else in this package is
 * package-private implementation.
 */
package dev.switchboard.ldap;
