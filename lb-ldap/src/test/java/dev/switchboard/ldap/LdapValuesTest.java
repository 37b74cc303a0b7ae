package dev.switchboard.ldap;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Filter;
import org.junit.jupiter.api.Test;

/** RFC 4514 and RFC 4515 escaping of user names, checked by UnboundID's own DN and filter parsers. */
class LdapValuesTest {

    @Test
    void filterValue_specials_hexEscaped() {
        assertThat(LdapValues.filterValue("*)(uid=*")).isEqualTo("\\2a\\29\\28uid=\\2a");
        assertThat(LdapValues.filterValue("a\\b\u0000c")).isEqualTo("a\\5cb\\00c");
        assertThat(LdapValues.filterValue("jürgen.o'brien")).isEqualTo("jürgen.o'brien");
    }

    @Test
    void filterValue_anyName_parsesAsOneEqualityWithThatValue() throws Exception {
        for (String name : new String[] {"*", "*)(uid=*", "a)(|(b=*", "\\", "\u0000", "(", "x*y", "é"}) {
            Filter filter = Filter.create("(uid=" + LdapValues.filterValue(name) + ")");

            assertThat(filter.getFilterType()).as(name).isEqualTo(Filter.FILTER_TYPE_EQUALITY);
            assertThat(filter.getAssertionValue()).as(name).isEqualTo(name);
        }
    }

    @Test
    void dnValue_specials_escaped() {
        assertThat(LdapValues.dnValue("smith, j")).isEqualTo("smith\\, j");
        assertThat(LdapValues.dnValue("#a b ")).isEqualTo("\\#a b\\ ");
        assertThat(LdapValues.dnValue("a+b=c;d<e>f\"g\\")).isEqualTo("a\\+b\\=c\\;d\\<e\\>f\\\"g\\\\");
        assertThat(LdapValues.dnValue("nul\u0000")).isEqualTo("nul\\00");
    }

    @Test
    void dnValue_anyName_parsesAsOneRdnWithThatValue() throws Exception {
        for (String name : new String[] {"alice,ou=admins", "a+cn=b", " x ", "#x", "\\", "\"q\"", "é,=;"}) {
            DN dn = new DN("uid=" + LdapValues.dnValue(name) + ",ou=people,dc=example,dc=test");

            assertThat(dn.getRDNs()).as(name).hasSize(4);
            assertThat(dn.getRDN().getAttributeValues()).as(name).containsExactly(name);
        }
    }
}
