/**
 * TLS for Switchboard: termination ({@link dev.switchboard.tls.TlsContexts#server}) with SNI certificate selection
 * ({@link dev.switchboard.tls.SniCertificates}) and reload without restart, re-encryption towards real servers
 * ({@link dev.switchboard.tls.TlsContexts#upstream}), session IDs for persistence
 * ({@link dev.switchboard.tls.TlsSessions}), and ClientHello/ServerHello parsing for TLS passthrough
 * ({@link dev.switchboard.tls.TlsHellos}). Conscrypt (BoringSSL) is the provider when it loads, the JDK's otherwise.
 */
package dev.switchboard.tls;
