package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.UpstreamTlsConfig;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pooled connections to one directory server: the <em>bind</em> pool, whose connections change identity with
 * every user bind, and in search-then-bind mode the <em>search</em> pool, whose connections stay bound as the
 * service account (the pool binds each new connection). Connections are opened on demand (none at start, so a
 * directory that is down does not stop the host from starting), upgraded with StartTLS when asked, and each
 * {@link #withConnection} retries once on a fresh connection when the pooled one turns out dead (the server was
 * restarted). Thread-safe.
 */
final class Directory implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Directory.class);

    /** Work on one checked-out connection. */
    @FunctionalInterface
    interface ConnectionWork<T> {
        T run(LDAPConnection connection) throws LDAPException;
    }

    private final LDAPConnectionPool bindPool;
    /** The service account's pool; the bind pool itself in direct-bind mode, where nothing searches as a service. */
    private final LDAPConnectionPool searchPool;

    Directory(LdapSettings settings) {
        SSLContext tls = settings.url.secure() || settings.startTls ? sslContext(settings.tls) : null;
        LDAPConnectionOptions options = options(settings, tls != null);
        SocketFactory sockets = settings.url.secure()
                ? new HandshakeTimeoutSockets(tls.getSocketFactory(), (int) settings.timeout.toMillis())
                : SocketFactory.getDefault();
        SingleServerSet server = new SingleServerSet(settings.url.host(), settings.url.port(), sockets, options);
        PostConnectProcessor startTls = settings.startTls ? new StartTLSPostConnectProcessor(tls) : null;
        this.bindPool = pool(server, null, startTls, settings, "switchboard-ldap-bind");
        this.searchPool = settings.search
                ? pool(server, new SimpleBindRequest(settings.bindDn, settings.bindPassword), startTls, settings,
                        "switchboard-ldap-search")
                : bindPool;
        log.info("LDAP authentication against {}", settings);
    }

    private static SSLContext sslContext(UpstreamTlsConfig config) {
        return TlsContexts.upstream(config).sslContext();
    }

    private static LDAPConnectionOptions options(LdapSettings settings, boolean tls) {
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) settings.connectTimeout.toMillis());
        options.setResponseTimeoutMillis(settings.timeout.toMillis());
        options.setUseSynchronousMode(true);      // one operation at a time per connection: no reader thread each
        options.setFollowReferrals(false);
        options.setBindWithDNRequiresPassword(true);
        options.setAutoReconnect(false);          // the pool replaces dead connections
        if (tls && settings.tls.trust() != UpstreamTlsConfig.Trust.INSECURE) {
            options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true, false));
        }
        return options;
    }

    private static LDAPConnectionPool pool(SingleServerSet server, BindRequest bind, PostConnectProcessor startTls,
            LdapSettings settings, String name) {
        try {
            LDAPConnectionPool pool = new LDAPConnectionPool(server, bind, 0, settings.maxConnections, startTls, false);
            pool.setConnectionPoolName(name);
            pool.setMaxWaitTimeMillis(settings.timeout.toMillis());
            pool.setCreateIfNecessary(true);
            pool.setRetryFailedOperationsDueToInvalidConnections(false);
            return pool;
        } catch (LDAPException e) {
            // with no initial connection nothing is opened here, so this is a programming error
            throw new IllegalStateException("cannot create the LDAP connection pool: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} on a connection of the bind pool. */
    <T> T withBindConnection(ConnectionWork<T> work, Deadline deadline) throws LDAPException {
        return withConnection(bindPool, work, deadline);
    }

    /** Runs {@code work} on a connection bound as the service account. */
    <T> T withSearchConnection(ConnectionWork<T> work, Deadline deadline) throws LDAPException {
        return withConnection(searchPool, work, deadline);
    }

    private static <T> T withConnection(LDAPConnectionPool pool, ConnectionWork<T> work, Deadline deadline)
            throws LDAPException {
        for (int attempt = 1; ; attempt++) {
            deadline.remainingMillis();
            LDAPConnection connection = pool.getConnection();
            try {
                T result = work.run(connection);
                pool.releaseConnection(connection);
                return result;
            } catch (LDAPException e) {
                // after a timeout the late answer may still arrive on this connection: never reuse it
                if (e.getResultCode().isConnectionUsable() && e.getResultCode() != ResultCode.TIMEOUT) {
                    pool.releaseConnection(connection);
                    throw e;
                }
                pool.releaseDefunctConnection(connection);
                if (attempt > 1 || e.getResultCode() == ResultCode.TIMEOUT || deadline.passed()) {
                    throw e;
                }
                log.debug("LDAP connection of {} lost ({}), retrying on a new one", pool.getConnectionPoolName(),
                        e.getResultCode());
            } catch (RuntimeException e) {
                pool.releaseDefunctConnection(connection);
                throw e;
            }
        }
    }

    @Override
    public void close() {
        bindPool.close();
        if (searchPool != bindPool) {
            searchPool.close();
        }
    }
}
