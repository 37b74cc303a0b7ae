package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.util.Optional;

/**
 * A user DN pattern ({@code uid={user},ou=people,dc=example,dc=test}) or a search filter ({@code (uid={user})})
 * with the {@code {user}} placeholder, and the attribute that holds the user's name in it ({@code uid}): the
 * directory's spelling of that attribute becomes the authenticated name. The user's name is escaped for the kind
 * of template (RFC 4514 or RFC 4515) before it replaces the placeholder. Immutable and thread-safe.
 */
final class UserTemplate {

    static final String PLACEHOLDER = "{user}";

    /** Stands for the user while a template is parsed: a value no escaping changes. */
    private static final String MARKER = "switchboardUserPlaceholder";

    private final String template;
    private final boolean dn;
    private final String nameAttribute;

    private UserTemplate(String template, boolean dn, String nameAttribute) {
        this.template = template;
        this.dn = dn;
        this.nameAttribute = nameAttribute;
    }

    /**
     * A DN pattern in which {@code {user}} is a whole attribute value.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code pattern}
     */
    static UserTemplate dnPattern(String pattern) {
        if (!pattern.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("'" + pattern + "' (expected: a DN with {user}, e.g. "
                    + "uid={user},ou=people,dc=example,dc=test)");
        }
        DN parsed;
        try {
            parsed = new DN(pattern.replace(PLACEHOLDER, MARKER));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("'" + pattern + "' is not a DN (" + e.getMessage() + ")", e);
        }
        for (RDN rdn : parsed.getRDNs()) {
            String[] names = rdn.getAttributeNames();
            String[] values = rdn.getAttributeValues();
            for (int i = 0; i < names.length; i++) {
                if (values[i].equals(MARKER)) {
                    return new UserTemplate(pattern, true, names[i]);
                }
            }
        }
        throw new IllegalArgumentException("'" + pattern + "' (expected: {user} as a whole attribute value, e.g. "
                + "uid={user},ou=people,dc=example,dc=test)");
    }

    /**
     * A search filter that contains {@code {user}}.
     *
     * @throws IllegalArgumentException saying what is wrong with {@code filter}
     */
    static UserTemplate filter(String filter) {
        if (!filter.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("'" + filter + "' (expected: a filter with {user}, e.g. (uid={user}))");
        }
        Filter parsed;
        try {
            parsed = Filter.create(filter.replace(PLACEHOLDER, MARKER));
        } catch (LDAPException e) {
            throw new IllegalArgumentException("'" + filter + "' is not an LDAP filter (" + e.getMessage() + ")", e);
        }
        return new UserTemplate(filter, false, findEqualityAttribute(parsed).orElse(""));
    }

    private static Optional<String> findEqualityAttribute(Filter filter) {
        if (filter.getFilterType() == Filter.FILTER_TYPE_EQUALITY) {
            return MARKER.equals(filter.getAssertionValue())
                    ? Optional.of(filter.getAttributeName()) : Optional.empty();
        }
        if (filter.getFilterType() == Filter.FILTER_TYPE_NOT) {
            return Optional.empty();   // a name under NOT is not the user's
        }
        for (Filter component : filter.getComponents()) {
            Optional<String> found = findEqualityAttribute(component);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The template with {@code user}, escaped, in place of every {@code {user}}. */
    String apply(String user) {
        return template.replace(PLACEHOLDER, dn ? LdapValues.dnValue(user) : LdapValues.filterValue(user));
    }

    /** The attribute whose value is the user's name ({@code uid}), or empty when the template has none. */
    String nameAttribute() {
        return nameAttribute;
    }

    @Override
    public String toString() {
        return template;
    }
}
