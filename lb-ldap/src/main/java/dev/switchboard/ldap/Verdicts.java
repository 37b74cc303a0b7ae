package dev.switchboard.ldap;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import dev.switchboard.api.spi.AuthenticationResult;
import javax.net.ssl.SSLException;

/**
 * What an LDAP result code means for a login: a refused bind is the user's fault ({@code rejected}), anything else
 * is the directory's ({@code unavailable}: down, slow, misconfigured). Reasons name the step and the result code,
 * never a server's diagnostic message (which may echo input). Stateless.
 */
final class Verdicts {

    static final AuthenticationResult INVALID_CREDENTIALS = AuthenticationResult.rejected("invalid credentials");
    static final AuthenticationResult EMPTY_PASSWORD = AuthenticationResult.rejected("empty password");
    static final AuthenticationResult INVALID_USER_NAME = AuthenticationResult.rejected("invalid user name");
    static final AuthenticationResult UNKNOWN_USER = AuthenticationResult.rejected("unknown user");
    static final AuthenticationResult AMBIGUOUS_USER =
            AuthenticationResult.rejected("ambiguous user: more than one entry matches");
    static final AuthenticationResult CLOSED = AuthenticationResult.unavailable("ldap authenticator closed");

    private Verdicts() {
    }

    /** Whether a bind that failed with {@code code} means wrong credentials (or an unknown, unusable account). */
    static boolean isRefusal(ResultCode code) {
        return code == ResultCode.INVALID_CREDENTIALS
                || code == ResultCode.INAPPROPRIATE_AUTHENTICATION
                || code == ResultCode.INVALID_DN_SYNTAX
                || code == ResultCode.NO_SUCH_OBJECT;
    }

    static AuthenticationResult timeout(LdapSettings settings) {
        return AuthenticationResult.unavailable("ldap timeout after " + settings.timeout.toMillis() + " ms");
    }

    /** The verdict for a failure of {@code step} ({@code "search"}, {@code "bind"}, ...) with {@code e}. */
    static AuthenticationResult unavailable(LDAPException e, String step, LdapSettings settings) {
        ResultCode code = e.getResultCode();
        if (code == ResultCode.TIMEOUT) {
            return timeout(settings);
        }
        if (code == ResultCode.CONNECT_ERROR || code == ResultCode.SERVER_DOWN) {
            String tls = tlsProblem(e);
            if (!tls.isEmpty()) {
                return AuthenticationResult.unavailable("ldap tls failed: " + settings.url + " (" + tls + ")");
            }
            return AuthenticationResult.unavailable("ldap unreachable: " + settings.url + " (" + code.getName() + ")");
        }
        if (step.equals("search") && code == ResultCode.INVALID_CREDENTIALS) {
            return AuthenticationResult.unavailable("ldap service account bind failed: " + code.getName());
        }
        return AuthenticationResult.unavailable("ldap " + step + " failed: " + code.getName());
    }

    /**
     * What went wrong with TLS, if that is why the connection failed: the handshake (an {@link SSLException} in the
     * causes: an untrusted certificate, no common protocol) or UnboundID's host name check (which says so only in its
     * message); else empty.
     */
    private static String tlsProblem(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 10; t = t.getCause(), depth++) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (message.contains("Hostname verification failed")) {
                return "host name not in the certificate";
            }
            if (t instanceof SSLException) {
                return message.contains("PKIX") ? "certificate not trusted" : "handshake failed";
            }
        }
        return "";
    }
}
