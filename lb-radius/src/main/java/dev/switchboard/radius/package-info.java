/**
 * RADIUS pre-authentication: {@link dev.switchboard.radius.RadiusAuthenticator}, an
 * {@link dev.switchboard.api.spi.Authenticator} on the aaa4j-radius client. Everything else in this package is
 * package-private implementation.
 */
package dev.switchboard.radius;
