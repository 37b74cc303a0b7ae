package dev.switchboard.examples.gateway;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real LDAP server for the gateway tests: UnboundID's InMemoryDirectoryServer on 127.0.0.1 port 0 with the users
 * alice ({@code alice-secret}) and bob ({@code bob-secret}) under {@value #PEOPLE}, members of
 * {@value #MAIL_USERS}. It counts the simple binds it receives (an operation interceptor).
 */
final class MailDirectory implements AutoCloseable {

    static final String BASE = "dc=example,dc=test";
    static final String PEOPLE = "ou=people," + BASE;
    static final String MAIL_USERS = "cn=mail-users,ou=groups," + BASE;
    static final String DN_PATTERN = "uid={user}," + PEOPLE;

    private final InMemoryDirectoryServer server;
    private final AtomicInteger binds = new AtomicInteger();

    MailDirectory() throws Exception {
        this(null);
    }

    /**
     * A directory that answers the StartTLS extended operation with {@code startTls} (UnboundID's in-memory server
     * adds the handler when its LDAP listener has a StartTLS socket factory); null for plain LDAP only.
     */
    MailDirectory(SSLContext startTls) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap",
                InetAddress.getByName("127.0.0.1"), 0, startTls == null ? null : startTls.getSocketFactory()));
        config.addInMemoryOperationInterceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) {
                binds.incrementAndGet();
            }
        });
        server = new InMemoryDirectoryServer(config);
        server.add(new Entry("dn: " + BASE, "objectClass: domain", "dc: example"));
        server.add(new Entry("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people"));
        server.add(new Entry("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups"));
        for (String user : new String[] {"alice", "bob"}) {
            server.add(new Entry("dn: uid=" + user + "," + PEOPLE, "objectClass: inetOrgPerson", "uid: " + user,
                    "cn: " + user, "sn: " + user, "userPassword: " + user + "-secret"));
        }
        server.add(new Entry("dn: " + MAIL_USERS, "objectClass: groupOfNames", "cn: mail-users",
                "member: uid=alice," + PEOPLE, "member: uid=bob," + PEOPLE));
        server.startListening();
    }

    String url() {
        return "ldap://127.0.0.1:" + server.getListenPort();
    }

    int port() {
        return server.getListenPort();
    }

    /** Simple binds received so far (the gateway's checks). */
    int binds() {
        return binds.get();
    }

    @Override
    public void close() {
        server.shutDown(true);
    }
}
