package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.List;

/**
 * Whether a user is a member of the required group: a {@code memberOf} value of the user's entry names the group,
 * or the group's entry lists the user's DN in {@code member} or {@code uniqueMember} (one base-scope search of the
 * group entry, DNs compared by the server's DN matching). Nested groups are not followed. Immutable.
 */
final class GroupMembership {

    static final String MEMBER_OF = "memberOf";

    private final DN group;
    private final String groupText;

    GroupMembership(String groupDn) throws LDAPException {
        this.group = new DN(groupDn);
        this.groupText = groupDn;
    }

    /** Whether {@code memberOf} (the user entry's values) names the group: no round trip. */
    boolean listedIn(List<String> memberOf) {
        for (String value : memberOf) {
            try {
                if (new DN(value).equals(group)) {
                    return true;
                }
            } catch (LDAPException e) {
                // a value that is not a DN names no group
            }
        }
        return false;
    }

    /**
     * Whether the group's entry lists {@code userDn} as {@code member} or {@code uniqueMember}; false when the group
     * does not exist or cannot be read.
     *
     * @throws LDAPException when the directory fails (down, timeout)
     */
    boolean listsMember(LDAPConnection connection, String userDn, Deadline deadline) throws LDAPException {
        Filter filter = Filter.createORFilter(Filter.createEqualityFilter("member", userDn),
                Filter.createEqualityFilter("uniqueMember", userDn));
        SearchRequest request = new SearchRequest(groupText, SearchScope.BASE, DereferencePolicy.NEVER, 1, 0, false,
                filter, SearchRequest.NO_ATTRIBUTES);
        request.setResponseTimeoutMillis(deadline.remainingMillis());
        try {
            SearchResult result = connection.search(request);
            return result.getEntryCount() > 0;
        } catch (LDAPSearchException e) {
            ResultCode code = e.getResultCode();
            if (code == ResultCode.NO_SUCH_OBJECT || code == ResultCode.INSUFFICIENT_ACCESS_RIGHTS) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return groupText;
    }
}
