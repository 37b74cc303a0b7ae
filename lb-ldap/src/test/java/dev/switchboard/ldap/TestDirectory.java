package dev.switchboard.ldap;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Authenticator;
import dev.switchboard.api.spi.Credentials;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A real LDAP server for the tests: UnboundID's InMemoryDirectoryServer on 127.0.0.1, port 0 (or a given port to
 * come back on), plain, LDAPS or with StartTLS, loaded with users and groups generated here. It counts the binds and
 * the connections it sees, and can hold every bind (a slow server) until {@link #releaseBinds()}.
 */
final class TestDirectory implements AutoCloseable {

    static final String BASE = "dc=example,dc=test";
    static final String PEOPLE = "ou=people," + BASE;
    static final String GROUPS = "ou=groups," + BASE;
    static final String MAIL_USERS = "cn=mail-users," + GROUPS;
    static final String VPN_USERS = "cn=vpn-users," + GROUPS;
    static final String SERVICE_DN = "cn=switchboard,ou=services," + BASE;
    static final String SERVICE_PASSWORD = "service-secret";
    static final String DN_PATTERN = "uid={user}," + PEOPLE;
    static final int NUMBERED_USERS = 20;

    /** Who listens, and how. */
    enum Transport { PLAIN, LDAPS, START_TLS }

    private final InMemoryDirectoryServer server;
    private final AtomicInteger binds = new AtomicInteger();
    private final AtomicInteger bindsInProgress = new AtomicInteger();
    private final AtomicInteger maxBindsInProgress = new AtomicInteger();
    private final Set<Long> connections = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch bindGate = new CountDownLatch(0);

    private TestDirectory(Transport transport, SSLContext tls, int port) throws Exception {
        InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
        config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), memberOfSchema()));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        config.setListenerConfigs(switch (transport) {
            case PLAIN -> InMemoryListenerConfig.createLDAPConfig("ldap", loopback, port, null);
            case START_TLS -> InMemoryListenerConfig.createLDAPConfig("ldap", loopback, port, tls.getSocketFactory());
            case LDAPS -> InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, port,
                    tls.getServerSocketFactory(), null);
        });
        config.addInMemoryOperationInterceptor(new Observer());
        this.server = new InMemoryDirectoryServer(config);
        for (Entry entry : entries()) {
            server.add(entry);
        }
        server.startListening();
    }

    static TestDirectory plain() throws Exception {
        return new TestDirectory(Transport.PLAIN, null, 0);
    }

    /** A plain server on {@code port}: the same directory coming back after a stop. */
    static TestDirectory plainOn(int port) throws Exception {
        return new TestDirectory(Transport.PLAIN, null, port);
    }

    static TestDirectory tls(Transport transport, SSLContext serverContext) throws Exception {
        return new TestDirectory(transport, serverContext, 0);
    }

    int port() {
        return server.getListenPort();
    }

    String url() {
        return "ldap://127.0.0.1:" + port();
    }

    int binds() {
        return binds.get();
    }

    int bindsInProgress() {
        return bindsInProgress.get();
    }

    int maxBindsInProgress() {
        return maxBindsInProgress.get();
    }

    /** Distinct client connections that sent a bind or a search. */
    int connectionsSeen() {
        return connections.size();
    }

    /** From now on every bind waits, unanswered, until {@link #releaseBinds()}. */
    void holdBinds() {
        bindGate = new CountDownLatch(1);
    }

    void releaseBinds() {
        bindGate.countDown();
    }

    /** Stops listening and closes every client connection. */
    void stop() {
        server.shutDown(true);
    }

    @Override
    public void close() {
        releaseBinds();
        server.shutDown(true);
    }

    /** The verdict of {@code authenticator} for {@code user} and {@code password}, waited for up to 15 s. */
    static AuthenticationResult verdict(Authenticator authenticator, String user, String password)
            throws Exception {
        return authenticator.authenticate(Credentials.of(user, password, "192.0.2.7")).toCompletableFuture()
                .get(15, TimeUnit.SECONDS);
    }

    private static Schema memberOfSchema() throws Exception {
        return new Schema(new Entry("dn: cn=schema", "objectClass: top", "objectClass: ldapSubentry",
                "objectClass: subschema", "cn: schema",
                "attributeTypes: ( 1.2.840.113556.1.2.102 NAME 'memberOf' EQUALITY distinguishedNameMatch "
                        + "SYNTAX 1.3.6.1.4.1.1466.115.121.1.12 )"));
    }

    private static List<Entry> entries() throws Exception {
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("dn: " + BASE, "objectClass: domain", "dc: example"));
        for (String ou : List.of("people", "groups", "services")) {
            entries.add(new Entry("dn: ou=" + ou + "," + BASE, "objectClass: organizationalUnit", "ou: " + ou));
        }
        entries.add(new Entry("dn: " + SERVICE_DN, "objectClass: applicationProcess",
                "objectClass: simpleSecurityObject", "cn: switchboard", "userPassword: " + SERVICE_PASSWORD));
        entries.add(person("alice", "Alice Liddell", "alice-secret"));
        entries.add(person("bob", "Bob Builder", "bob-secret"));
        entries.add(person("carol", "Carol Danvers", "carol-secret"));
        Entry dave = person("dave", "Dave Bowman", "dave-secret");
        dave.addAttribute("objectClass", "extensibleObject");
        dave.addAttribute("memberOf", MAIL_USERS.toUpperCase(java.util.Locale.ROOT));   // AD style, any case
        entries.add(dave);
        entries.add(person("smith, j", "Smith", "smith-secret"));
        entries.add(person("twin1", "twin", "twin-secret"));
        entries.add(person("twin2", "twin", "twin-secret"));
        List<String> mailMembers = new ArrayList<>(List.of("member: uid=alice," + PEOPLE,
                "member: uid=smith\\, j," + PEOPLE));
        for (int i = 0; i < NUMBERED_USERS; i++) {
            entries.add(person("user" + i, "User " + i, "pw-" + i));
            mailMembers.add("member: uid=user" + i + "," + PEOPLE);
        }
        List<String> mail = new ArrayList<>(List.of("dn: " + MAIL_USERS, "objectClass: groupOfNames",
                "cn: mail-users"));
        mail.addAll(mailMembers);
        entries.add(new Entry(mail.toArray(new String[0])));
        entries.add(new Entry("dn: " + VPN_USERS, "objectClass: groupOfUniqueNames", "cn: vpn-users",
                "uniqueMember: UID=Carol, " + PEOPLE));
        return entries;
    }

    private static Entry person(String uid, String cn, String password) {
        Entry entry = new Entry("uid=" + LdapValues.dnValue(uid) + "," + PEOPLE);
        entry.addAttribute("objectClass", "inetOrgPerson");
        entry.addAttribute("uid", uid);
        entry.addAttribute("cn", cn);
        entry.addAttribute("sn", cn);
        entry.addAttribute("userPassword", password);
        return entry;
    }

    /** Counts binds and connections; holds binds while the gate is closed. */
    private final class Observer extends InMemoryOperationInterceptor {
        @Override
        public void processSimpleBindRequest(InMemoryInterceptedSimpleBindRequest request) throws LDAPException {
            connections.add(request.getConnectionID());
            binds.incrementAndGet();
            int now = bindsInProgress.incrementAndGet();
            maxBindsInProgress.accumulateAndGet(now, Math::max);
            try {
                bindGate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                bindsInProgress.decrementAndGet();
            }
        }

        @Override
        public void processSearchRequest(InMemoryInterceptedSearchRequest request) {
            connections.add(request.getConnectionID());
        }
    }
}
