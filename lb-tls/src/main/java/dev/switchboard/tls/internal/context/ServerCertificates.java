package dev.switchboard.tls.internal.context;

import java.util.List;

/**
 * The certificates of one publication of a server key manager ({@link SniKeyManager#publish}), as the key manager
 * sees them: every key it may hand out, and which one a handshake gets for the server name it asked for. The API
 * implements it over its {@code SniCertificates}, so that this package needs none of the API's types.
 *
 * <p>Implementations must be immutable and thread-safe; {@link #select(String)} runs in every full handshake, so it
 * must not block, throw or allocate more than a lookup does.
 */
public interface ServerCertificates {

    /** Every distinct key, the default first; each instance stands for one certificate (compared by identity). */
    List<CertifiedKey> keys();

    /**
     * The key for {@code serverName}, one of the instances {@link #keys()} returns; never null.
     *
     * @param serverName the SNI host name of the handshake, {@code ""} when the client sent none
     */
    CertifiedKey select(String serverName);
}
