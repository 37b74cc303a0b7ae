/**
 * TLS termination and re-encryption on Conscrypt, SNI certificate selection, session IDs and ClientHello parsing
 * for TLS passthrough. Not built yet: this module only reserves its place in the build (see CHANGELOG.md).
 */
package dev.switchboard.tls;
