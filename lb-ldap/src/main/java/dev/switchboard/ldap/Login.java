package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.Credentials;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One authentication, run on a thread of {@link Logins}: direct bind (the DN from the pattern, bind, read the
 * user's entry as the user) or search-then-bind (search as the service account, exactly one entry, bind as its
 * DN), then the group check, then the verdict. Completes its stage once, never exceptionally. Not shared.
 */
final class Login implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(Login.class);
    private static final Filter ANY_ENTRY = Filter.createPresenceFilter("objectClass");

    private final LdapSettings settings;
    private final Directory directory;
    private final List<GroupMembership> group;
    private final Credentials credentials;
    private final CompletableFuture<AuthenticationResult> verdict;
    private final Deadline deadline;
    private String step = "bind";

    Login(LdapSettings settings, Directory directory, List<GroupMembership> group, Credentials credentials,
            CompletableFuture<AuthenticationResult> verdict, Deadline deadline) {
        this.settings = settings;
        this.directory = directory;
        this.group = group;
        this.credentials = credentials;
        this.verdict = verdict;
        this.deadline = deadline;
    }

    @Override
    public void run() {
        if (verdict.isDone()) {
            return;   // timed out while waiting for a thread
        }
        AuthenticationResult result;
        try {
            result = settings.search ? searchThenBind() : directBind();
        } catch (LDAPException e) {
            log.debug("LDAP {} for {} failed: {} {}", step, credentials.user(), e.getResultCode(),
                    e.getDiagnosticMessage());
            result = Verdicts.unavailable(e, step, settings);
        } catch (RuntimeException e) {
            log.debug("LDAP {} for {} failed", step, credentials.user(), e);
            result = AuthenticationResult.unavailable("ldap " + step + " failed: " + e.getClass().getSimpleName());
        }
        if (verdict.complete(result)) {
            log.debug("LDAP authentication of {} from {}: {}", credentials.user(), credentials.clientAddress(),
                    result);
        }
    }

    private AuthenticationResult directBind() throws LDAPException {
        String dn = settings.userTemplate.apply(credentials.user());
        if (!DN.isValidDN(dn)) {
            return Verdicts.INVALID_USER_NAME;
        }
        return directory.withBindConnection(connection -> {
            step = "bind";
            if (!bind(connection, dn)) {
                return Verdicts.INVALID_CREDENTIALS;
            }
            step = "user entry read";
            List<SearchResultEntry> entry = readEntry(connection, dn);
            Entry found = entry.isEmpty() ? new Entry(dn) : entry.get(0);
            step = "group check";
            return verdictFor(connection, dn, found);
        }, deadline);
    }

    private AuthenticationResult searchThenBind() throws LDAPException {
        Filter filter;
        try {
            filter = Filter.create(settings.userTemplate.apply(credentials.user()));
        } catch (LDAPException e) {
            return Verdicts.INVALID_USER_NAME;
        }
        step = "search";
        Found found = directory.withSearchConnection(c -> findUsers(c, filter), deadline);
        if (found.more() || found.entries().size() > 1) {
            return Verdicts.AMBIGUOUS_USER;
        }
        if (found.entries().isEmpty()) {
            return Verdicts.UNKNOWN_USER;
        }
        Entry entry = found.entries().get(0);
        String dn = entry.getDN();
        step = "bind";
        if (!directory.withBindConnection(c -> bind(c, dn), deadline)) {
            return Verdicts.INVALID_CREDENTIALS;
        }
        step = "group check";
        if (group.isEmpty() || group.get(0).listedIn(memberOf(entry))) {
            return AuthenticationResult.accepted(spelling(entry));
        }
        return directory.withSearchConnection(c -> verdictFor(c, dn, entry), deadline);
    }

    /** Binds {@code connection} as {@code dn}; false when the directory refuses the credentials. */
    private boolean bind(LDAPConnection connection, String dn) throws LDAPException {
        SimpleBindRequest request = new SimpleBindRequest(dn, credentials.password());
        request.setResponseTimeoutMillis(deadline.remainingMillis());
        try {
            connection.bind(request);
            return true;
        } catch (LDAPException e) {
            if (Verdicts.isRefusal(e.getResultCode())) {
                return false;
            }
            throw e;
        }
    }

    /** The entries matching {@code filter} under the search base; {@code more}: over two (then never one). */
    private record Found(List<SearchResultEntry> entries, boolean more) {
    }

    private Found findUsers(LDAPConnection connection, Filter filter) throws LDAPException {
        SearchRequest request = new SearchRequest(settings.userSearchBase, SearchScope.SUB, DereferencePolicy.NEVER,
                2, timeLimitSeconds(), false, filter, attributes());
        request.setResponseTimeoutMillis(deadline.remainingMillis());
        try {
            return new Found(connection.search(request).getSearchEntries(), false);
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                return new Found(e.getSearchEntries(), true);
            }
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
                return new Found(List.of(), false);
            }
            throw e;
        }
    }

    /** The user's own entry (read as the user), or none when it cannot be read. */
    private List<SearchResultEntry> readEntry(LDAPConnection connection, String dn) throws LDAPException {
        SearchRequest request = new SearchRequest(dn, SearchScope.BASE, DereferencePolicy.NEVER, 1,
                timeLimitSeconds(), false, ANY_ENTRY, attributes());
        request.setResponseTimeoutMillis(deadline.remainingMillis());
        try {
            return connection.search(request).getSearchEntries();
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT
                    || e.getResultCode() == ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
                return List.of();
            }
            throw e;
        }
    }

    private AuthenticationResult verdictFor(LDAPConnection connection, String dn, Entry entry)
            throws LDAPException {
        if (!group.isEmpty()) {
            GroupMembership required = group.get(0);
            if (!required.listedIn(memberOf(entry)) && !required.listsMember(connection, dn, deadline)) {
                return AuthenticationResult.rejected("not in group " + required);
            }
        }
        return AuthenticationResult.accepted(spelling(entry));
    }

    private String[] attributes() {
        List<String> names = new ArrayList<>(2);
        if (!settings.userTemplate.nameAttribute().isEmpty()) {
            names.add(settings.userTemplate.nameAttribute());
        }
        if (!group.isEmpty()) {
            names.add(GroupMembership.MEMBER_OF);
        }
        return names.isEmpty() ? new String[] {SearchRequest.NO_ATTRIBUTES} : names.toArray(new String[0]);
    }

    private int timeLimitSeconds() throws LDAPException {
        return (int) Math.max(1, (deadline.remainingMillis() + 999) / 1000);
    }

    private static List<String> memberOf(Entry entry) {
        String[] values = entry.getAttributeValues(GroupMembership.MEMBER_OF);
        return values == null ? List.of() : Arrays.asList(values);
    }

    /**
     * The directory's spelling of the user's name: the naming attribute's value equal (ignoring case) to the name as
     * typed, else its first value (the server matched the name by its own rules, e.g. without surrounding spaces),
     * else the name as typed.
     */
    private String spelling(Entry entry) {
        String attribute = settings.userTemplate.nameAttribute();
        String[] values = attribute.isEmpty() ? null : entry.getAttributeValues(attribute);
        if (values == null || values.length == 0) {
            return credentials.user();
        }
        for (String value : values) {
            if (value.equalsIgnoreCase(credentials.user())) {
                return value;
            }
        }
        return values[0].isEmpty() ? credentials.user() : values[0];
    }
}
