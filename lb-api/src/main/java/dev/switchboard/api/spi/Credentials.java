package dev.switchboard.api.spi;

import java.util.Objects;

/**
 * A user name and password presented by a client, with the client's address (for lockouts and logs). The
 * password never appears in {@link #toString()}. Immutable and thread-safe.
 *
 * <pre>{@code
 * Credentials c = Credentials.of("alice", "secret", "192.0.2.7");
 * }</pre>
 */
public final class Credentials {

    private final String user;
    private final String password;
    private final String clientAddress;

    private Credentials(String user, String password, String clientAddress) {
        this.user = user;
        this.password = password;
        this.clientAddress = clientAddress;
    }

    /**
     * Credentials of {@code user} with {@code password} from {@code clientAddress} (textual IP, may be empty).
     *
     * @throws IllegalArgumentException when {@code user} is empty
     * @throws NullPointerException when an argument is null
     */
    public static Credentials of(String user, String password, String clientAddress) {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(clientAddress, "clientAddress");
        if (user.isEmpty()) {
            throw new IllegalArgumentException("user: empty (expected: a user name)");
        }
        return new Credentials(user, password, clientAddress);
    }

    /** The user name as the client typed it. */
    public String user() {
        return user;
    }

    /** The password as the client sent it (never log it). */
    public String password() {
        return password;
    }

    /** The client's address as text, or empty when unknown. */
    public String clientAddress() {
        return clientAddress;
    }

    @Override
    public String toString() {
        return "Credentials[user=" + user + ", password=(hidden), client=" + clientAddress + "]";
    }
}
