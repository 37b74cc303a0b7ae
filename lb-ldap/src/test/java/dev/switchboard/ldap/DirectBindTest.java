package dev.switchboard.ldap;

import static dev.switchboard.ldap.TestDirectory.verdict;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.AuthenticationResult;
import dev.switchboard.api.spi.AuthenticationResult.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Direct bind with a DN pattern against a real in-process LDAP server. */
class DirectBindTest {

    private static TestDirectory directory;
    private static LdapAuthenticator ldap;
    private static LdapAuthenticator ldapWithGroup;

    @BeforeAll
    static void start() throws Exception {
        directory = TestDirectory.plain();
        ldap = LdapAuthenticator.builder(directory.url()).userDnPattern(TestDirectory.DN_PATTERN).build();
        ldapWithGroup = LdapAuthenticator.builder(directory.url()).userDnPattern(TestDirectory.DN_PATTERN)
                .requireGroup(TestDirectory.MAIL_USERS).build();
    }

    @AfterAll
    static void stop() {
        ldap.close();
        ldapWithGroup.close();
        directory.close();
    }

    @Test
    void authenticate_rightPassword_accepted() throws Exception {
        AuthenticationResult result = verdict(ldap, "alice", "alice-secret");

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("alice");
    }

    @Test
    void authenticate_otherCase_acceptedAsTheDirectorySpellsIt() throws Exception {
        AuthenticationResult result = verdict(ldap, "ALICE", "alice-secret");

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("alice");
    }

    @Test
    void authenticate_wrongPassword_rejected() throws Exception {
        AuthenticationResult result = verdict(ldap, "alice", "bob-secret");

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("invalid credentials");
    }

    @Test
    void authenticate_unknownUser_rejected() throws Exception {
        AuthenticationResult result = verdict(ldap, "mallory", "whatever");

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("invalid credentials");
    }

    @Test
    void authenticate_emptyPassword_rejectedWithoutABind() throws Exception {
        int bindsBefore = directory.binds();

        AuthenticationResult result = verdict(ldap, "alice", "");

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("empty password");
        assertThat(directory.binds()).isEqualTo(bindsBefore);
    }

    @Test
    void authenticate_nameWithDnSpecials_escapedAndAccepted() throws Exception {
        AuthenticationResult result = verdict(ldap, "smith, j", "smith-secret");

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("smith, j");
    }

    @Test
    void authenticate_nameThatWouldChangeTheDn_rejected() throws Exception {
        // unescaped, "alice,ou=people" would still name alice's entry under a longer DN; escaped it names nobody
        for (String user : new String[] {"alice,ou=people", "alice+cn=x", "*", "alice\\", "alice\u0000"}) {
            AuthenticationResult result = verdict(ldap, user, "alice-secret");

            assertThat(result.status()).as(user).isEqualTo(Status.REJECTED);
        }
    }

    @Test
    void authenticate_nameWithSurroundingSpaces_acceptedAsTheDirectorySpellsIt() throws Exception {
        // the directory's own matching rule for uid ignores insignificant spaces: it is still alice's entry
        AuthenticationResult result = verdict(ldap, " alice ", "alice-secret");

        assertThat(result.status()).isEqualTo(Status.ACCEPTED);
        assertThat(result.user()).isEqualTo("alice");
    }

    @Test
    void authenticate_tooLongName_rejectedWithoutABind() throws Exception {
        int bindsBefore = directory.binds();

        AuthenticationResult result = verdict(ldap, "a".repeat(Logins.MAX_USER_LENGTH + 1), "x");

        assertThat(result.reason()).isEqualTo("invalid user name");
        assertThat(directory.binds()).isEqualTo(bindsBefore);
    }

    @Test
    void authenticate_memberByGroupEntry_accepted() throws Exception {
        assertThat(verdict(ldapWithGroup, "alice", "alice-secret").status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void authenticate_memberByMemberOf_accepted() throws Exception {
        assertThat(verdict(ldapWithGroup, "dave", "dave-secret").status()).isEqualTo(Status.ACCEPTED);
    }

    @Test
    void authenticate_notInGroup_rejectedNamingTheGroup() throws Exception {
        AuthenticationResult result = verdict(ldapWithGroup, "bob", "bob-secret");

        assertThat(result.status()).isEqualTo(Status.REJECTED);
        assertThat(result.reason()).isEqualTo("not in group " + TestDirectory.MAIL_USERS);
    }

    @Test
    void authenticate_notInGroupAndWrongPassword_rejectedForThePassword() throws Exception {
        assertThat(verdict(ldapWithGroup, "bob", "nope").reason()).isEqualTo("invalid credentials");
    }

    @Test
    void authenticate_memberByUniqueMember_accepted() throws Exception {
        try (LdapAuthenticator vpn = LdapAuthenticator.builder(directory.url())
                .userDnPattern(TestDirectory.DN_PATTERN).requireGroup(TestDirectory.VPN_USERS).build()) {
            assertThat(verdict(vpn, "carol", "carol-secret").status()).isEqualTo(Status.ACCEPTED);
            assertThat(verdict(vpn, "alice", "alice-secret").reason())
                    .isEqualTo("not in group " + TestDirectory.VPN_USERS);
        }
    }

    @Test
    void authenticate_missingGroup_rejected() throws Exception {
        String missing = "cn=nobody," + TestDirectory.GROUPS;
        try (LdapAuthenticator none = LdapAuthenticator.builder(directory.url())
                .userDnPattern(TestDirectory.DN_PATTERN).requireGroup(missing).build()) {
            assertThat(verdict(none, "alice", "alice-secret").reason()).isEqualTo("not in group " + missing);
        }
    }

    @Test
    void authenticate_afterClose_unavailable() throws Exception {
        LdapAuthenticator closed = LdapAuthenticator.builder(directory.url())
                .userDnPattern(TestDirectory.DN_PATTERN).build();
        assertThat(verdict(closed, "alice", "alice-secret").status()).isEqualTo(Status.ACCEPTED);

        closed.close();

        AuthenticationResult result = verdict(closed, "alice", "alice-secret");
        assertThat(result.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(result.reason()).isEqualTo("ldap authenticator closed");
    }
}
