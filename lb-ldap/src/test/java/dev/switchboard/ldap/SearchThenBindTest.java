package dev.switchboard.ldap;

import static dev.switchboard.ldap.TestDirectory.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.AuthenticationResult.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Search-then-bind with a service account, and filter injection, against a real in-process LDAP server. */
class SearchThenBindTest {

    private static TestDirectory directory;
    private static LdapAuthenticator ldap;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.plain();
        ldap = searching("(uid={user})").requireGroup(TestDirectory.MAIL_USERS).build();
    }

    @AfterAll
    static void stop() {
        ldap.close();
        directory.close();
    }

    private static LdapAuthenticator.Builder searching(String filter) {
        return LdapAuthenticator.builder(directory.url())
                .bindDn(TestDirectory.SERVICE_DN).bindPassword(TestDirectory.SERVICE_PASSWORD)
                .userSearchBase(TestDirectory.PEOPLE).userFilter(filter);
    }

    @Test
    void authenticate_rightPassword_accepted() throws Exception {
        AuthenticationResult result = verdict(ldap, "Alice", "alice-secret");

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("alice");
    }

    @Test
    void authenticate_wrongPassword_rejected() throws Exception {
        assertThat(verdict(ldap, "alice", "wrong").reason()).isEqualTo("invalid credentials");
    }

    @Test
    void authenticate_emptyPassword_rejectedWithoutABind() throws Exception {
        int bindsBefore = directory.binds();

        assertThat(verdict(ldap, "alice", "").reason()).isEqualTo("empty password");
        assertThat(directory.binds()).isEqualTo(bindsBefore);
    }

    @Test
    void authenticate_unknownUser_rejectedWithoutAUserBind() throws Exception {
        verdict(ldap, "alice", "alice-secret");   // the service account's connection is open and bound
        int bindsBefore = directory.binds();

        AuthenticationResult result = verdict(ldap, "mallory", "whatever");

        assertThat(result.reason()).isEqualTo("unknown user");
        assertThat(directory.binds()).isEqualTo(bindsBefore);
    }

    @Test
    void authenticate_notInGroup_rejected() throws Exception {
        assertThat(verdict(ldap, "bob", "bob-secret").reason()).isEqualTo("not in group " + TestDirectory.MAIL_USERS);
    }

    @Test
    void authenticate_memberOf_accepted() throws Exception {
        assertThat(verdict(ldap, "dave", "dave-secret").status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void authenticate_filterInjection_matchesNobody() throws Exception {
        // each would match alice (or everybody) if pasted into (uid={user}) unescaped
        String[] attacks = {"*", "*)(uid=*", "alice)(|(uid=*", "al*", "*)(|(objectClass=*)", "alice\\", "\\2a",
            "alice\u0000", "alice)(cn=Alice Liddell"};
        for (String user : attacks) {
            AuthenticationResult result = verdict(ldap, user, "alice-secret");

            assertThat(result.status()).as(user).isEqualTo(Status.REJECTED);
            assertThat(result.reason()).as(user).isEqualTo("unknown user");
        }
    }

    @Test
    void authenticate_twoEntriesMatch_rejectedAsAmbiguous() throws Exception {
        try (LdapAuthenticator byCn = searching("(cn={user})").build()) {
            assertThat(verdict(byCn, "twin", "twin-secret").reason())
                    .isEqualTo("ambiguous user: more than one entry matches");
        }
    }

    @Test
    void authenticate_compoundFilter_acceptedByTheEqualityOnTheName() throws Exception {
        try (LdapAuthenticator compound = searching("(&(objectClass=inetOrgPerson)(|(uid={user})(mail={user})))")
                .build()) {
            AuthenticationResult result = verdict(compound, "ALICE", "alice-secret");

            assertThat(result.status()).isEqualTo(Status.ACCEPTED);
            assertThat(result.user()).isEqualTo("alice");
        }
    }

    @Test
    void authenticate_wrongServicePassword_unavailable() throws Exception {
        try (LdapAuthenticator misconfigured = LdapAuthenticator.builder(directory.url())
                .bindDn(TestDirectory.SERVICE_DN).bindPassword("not-the-password")
                .userSearchBase(TestDirectory.PEOPLE).userFilter("(uid={user})").build()) {
            AuthenticationResult result = verdict(misconfigured, "alice", "alice-secret");

            assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
            assertThat(result.reason()).isEqualTo("ldap service account bind failed: invalid credentials");
        }
    }

    @Test
    void authenticate_searchBaseMissing_rejectedAsUnknown() throws Exception {
        try (LdapAuthenticator elsewhere = LdapAuthenticator.builder(directory.url())
                .bindDn(TestDirectory.SERVICE_DN).bindPassword(TestDirectory.SERVICE_PASSWORD)
                .userSearchBase("ou=nowhere," + TestDirectory.BASE).userFilter("(uid={user})").build()) {
            assertThat(verdict(elsewhere, "alice", "alice-secret").reason()).isEqualTo("unknown user");
        }
    }
}
