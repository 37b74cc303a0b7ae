package dev.switchboard.engine.auth;

import dev.switchboard.api.SingleSignOn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the single sign-on cookie: AES-256-GCM under a key derived from the SSO secret (HKDF-SHA256), a
 * random 96-bit nonce per cookie, the cookie's name as associated data. The sealed payload is the user, the time of
 * the login ({@code issued}), the time it was last seen, the session's random 128-bit id (made at the login, kept by
 * every refresh) and the SSO domain, so a cookie is valid only for its domain, until {@code timeout} after the login
 * and {@code idleTimeout} after its last use, and until its session is ended by a logout on this host ({@link
 * #revoke}, {@link SsoRevocations}). A client can neither read the content nor change one bit of it (the GCM tag,
 * checked in constant time by the JDK, fails). Opening is crypto only, no I/O: the engine does it on the request
 * path. A valid cookie whose last-seen time is older than a quarter of the idle timeout comes back with a refreshed
 * value to set.
 *
 * <pre>{@code
 * SsoCookies cookies = SsoCookies.of(sso);
 * String value = cookies.seal("alice");
 * response.addHeader("Set-Cookie", cookies.setCookie(value, true));
 * SsoVerdict v = cookies.open(value);   // VALID alice
 * }</pre>
 *
 * <p>Thread-safe (one {@link Cipher} per thread). Never logs a cookie value or the secret.
 */
public final class SsoCookies {

    /** The longest cookie value opened; longer ones are {@link SsoVerdict.Status#FORGED} without decoding. */
    public static final int MAX_VALUE_LENGTH = 2_048;
    /** The longest user name sealed. */
    public static final int MAX_USER_LENGTH = 256;

    /** Cookies the engine's opener remembers. */
    public static final int DEFAULT_OPEN_CACHE = 10_000;
    /**
     * How long an opened cookie is remembered. Only memory depends on it: a hit is judged by the cookie's own sealed
     * times on every request, whatever the idle timeout.
     */
    static final long OPEN_CACHE_TTL_SECONDS = 30;

    private static final byte VERSION = 2;
    /** issued, lastSeen, the session id (two longs), the domain's length. */
    private static final int FIXED = 8 + 8 + 16 + 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(SsoCookies::newCipher);

    private final SingleSignOn sso;
    private final SecretKeySpec key;
    private final byte[] aad;
    private final LongSupplier epochSeconds;
    private final long timeout;
    private final long idleTimeout;
    private final long refreshAfter;
    private final SsoRevocations revocations;
    private final SsoOpenCache<Session> opened;
    private final boolean cached;

    private SsoCookies(SingleSignOn sso, LongSupplier epochSeconds, SsoRevocations revocations, int openCache) {
        this.sso = sso;
        this.key = new SecretKeySpec(Secrets.derive(sso.secret(), "sso cookie aes-256-gcm", 32), "AES");
        this.aad = (sso.cookieName() + "\u0000" + VERSION).getBytes(StandardCharsets.US_ASCII);
        this.epochSeconds = epochSeconds;
        this.timeout = sso.timeout().toSeconds();
        this.idleTimeout = sso.idleTimeout().toSeconds();
        this.refreshAfter = Math.max(1, idleTimeout / 4);
        this.revocations = revocations;
        this.cached = openCache > 0;
        this.opened = new SsoOpenCache<>(openCache, OPEN_CACHE_TTL_SECONDS);
    }

    /** Cookies of {@code sso}, timed by the system clock. */
    public static SsoCookies of(SingleSignOn sso) {
        return of(sso, () -> System.currentTimeMillis() / 1000);
    }

    /**
     * Cookies of {@code sso}, timed by {@code epochSeconds} (a test clock, the engine's coarse clock), with a logout
     * list of their own.
     */
    public static SsoCookies of(SingleSignOn sso, LongSupplier epochSeconds) {
        return of(sso, epochSeconds, SsoRevocations.ofDefaults());
    }

    /**
     * Cookies of {@code sso}, timed by {@code epochSeconds}, that refuse the sessions in {@code revocations} (share
     * one list between every place that opens cookies and the logout).
     */
    public static SsoCookies of(SingleSignOn sso, LongSupplier epochSeconds, SsoRevocations revocations) {
        return of(sso, epochSeconds, revocations, 0);
    }

    /**
     * As above, remembering up to {@code openCache} cookies it opened for {@value #OPEN_CACHE_TTL_SECONDS} s (keyed
     * by SHA-256 of the value; every hit is judged afresh, revocation included), so that a browser repeating its
     * cookie costs a hash instead of an AES-GCM open; 0 for none. The engine's cookies use {@link
     * #DEFAULT_OPEN_CACHE}.
     *
     * @throws IllegalArgumentException when {@code openCache} is not in 0..1,000,000
     */
    public static SsoCookies of(SingleSignOn sso, LongSupplier epochSeconds, SsoRevocations revocations,
            int openCache) {
        if (openCache < 0 || openCache > 1_000_000) {
            throw new IllegalArgumentException("openCache: " + openCache + " (expected: 0..1000000)");
        }
        return new SsoCookies(Objects.requireNonNull(sso, "sso"), Objects.requireNonNull(epochSeconds, "clock"),
                Objects.requireNonNull(revocations, "revocations"), openCache);
    }

    /** The settings these cookies follow. */
    public SingleSignOn settings() {
        return sso;
    }

    /**
     * A new cookie value for a login of {@code user} now.
     *
     * @throws IllegalArgumentException when {@code user} is empty or longer than {@value #MAX_USER_LENGTH}
     */
    public String seal(String user) {
        if (user.isEmpty() || user.length() > MAX_USER_LENGTH) {
            throw new IllegalArgumentException("user: " + user.length() + " characters (expected: 1.."
                    + MAX_USER_LENGTH + ")");
        }
        long now = epochSeconds.getAsLong();
        ByteBuffer id = ByteBuffer.wrap(Secrets.random(16));
        return seal(new Session(SsoVerdict.Status.VALID, now, now, new SsoRevocations.SessionId(id.getLong(),
                id.getLong()), user));
    }

    private String seal(Session session) {
        byte[] u = session.user().getBytes(StandardCharsets.UTF_8);
        byte[] d = sso.domain().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer plain = ByteBuffer.allocate(FIXED + d.length + u.length);
        plain.putLong(session.issued()).putLong(session.lastSeen()).putLong(session.id().high())
                .putLong(session.id().low()).put((byte) d.length).put(d).put(u);
        byte[] nonce = Secrets.random(NONCE);
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad);
            byte[] sealed = c.doFinal(plain.array());
            ByteBuffer out = ByteBuffer.allocate(1 + NONCE + sealed.length);
            out.put(VERSION).put(nonce).put(sealed);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed to seal", e);
        }
    }

    /** Opens a cookie value: never throws, whatever the client sent. */
    public SsoVerdict open(String value) {
        if (!cached || value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            Session session = decrypt(value);
            return session.sealed() ? judge(session) : SsoVerdict.of(session.status());
        }
        long now = epochSeconds.getAsLong();
        SsoOpenCache.Key key = SsoOpenCache.key(value);
        Session session = opened.find(key, now);
        if (session == null) {
            session = decrypt(value);
            if (!session.sealed()) {
                return SsoVerdict.of(session.status());
            }
            opened.put(key, session, now);
        }
        return judge(session);
    }

    /**
     * Ends the session of the cookie {@code value} on this host (logout): every cookie of it, copies and refreshed
     * ones included, is {@link SsoVerdict.Status#REVOKED} from now on. A value that is not a cookie of ours (forged,
     * another domain) or whose session is over ({@code timeout} after the login) changes nothing.
     *
     * @return whether a session was ended
     */
    public boolean revoke(String value) {
        Session session = decrypt(value);
        if (!session.sealed()) {
            return false;
        }
        long now = epochSeconds.getAsLong();
        // an idle cookie may have younger siblings (a copy used and refreshed elsewhere): none is refreshed after now
        long expires = Math.min(session.issued() + timeout, now + idleTimeout);
        if (expires <= now) {
            return false;
        }
        revocations.revoke(session.id(), expires + SsoRevocations.CLOCK_SLACK_SECONDS, now);
        return true;
    }

    /** Cookies in the cache of opened cookies now (tests). */
    int openCacheSize() {
        return opened.size();
    }

    /** The session sealed in {@code value}, or one that says why there is none (forged, other domain). */
    private Session decrypt(String value) {
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            return Session.FORGED;
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return Session.FORGED;
        }
        if (raw.length < 1 + NONCE + TAG_BITS / 8 + FIXED + 1 || raw[0] != VERSION) {
            return Session.FORGED;
        }
        byte[] plain;
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 1, NONCE));
            c.updateAAD(aad);
            plain = c.doFinal(raw, 1 + NONCE, raw.length - 1 - NONCE);
        } catch (GeneralSecurityException e) { // AEADBadTagException: not sealed by us
            return Session.FORGED;
        }
        ByteBuffer p = ByteBuffer.wrap(plain);
        long issued = p.getLong();
        long lastSeen = p.getLong();
        SsoRevocations.SessionId id = new SsoRevocations.SessionId(p.getLong(), p.getLong());
        int domainLength = p.get() & 0xff;
        if (p.remaining() <= domainLength) {
            return Session.FORGED;
        }
        String domain = new String(plain, FIXED, domainLength, StandardCharsets.US_ASCII);
        if (!domain.equals(sso.domain())) {
            return Session.OTHER_DOMAIN;
        }
        String user = new String(plain, FIXED + domainLength, p.remaining() - domainLength, StandardCharsets.UTF_8);
        return new Session(SsoVerdict.Status.VALID, issued, lastSeen, id, user);
    }

    private SsoVerdict judge(Session s) {
        long now = epochSeconds.getAsLong();
        if (now - s.issued() >= timeout || s.issued() > now + SsoRevocations.CLOCK_SLACK_SECONDS) {
            return SsoVerdict.of(SsoVerdict.Status.EXPIRED);
        }
        if (now - s.lastSeen() >= idleTimeout) {
            return SsoVerdict.of(SsoVerdict.Status.IDLE);
        }
        if (revocations.revoked(s.id(), s.issued())) {
            return SsoVerdict.of(SsoVerdict.Status.REVOKED);
        }
        String refreshed = now - s.lastSeen() >= refreshAfter
                ? seal(new Session(SsoVerdict.Status.VALID, s.issued(), now, s.id(), s.user())) : "";
        return new SsoVerdict(SsoVerdict.Status.VALID, s.user(), refreshed);
    }

    /**
     * What a cookie holds ({@code status} {@link SsoVerdict.Status#VALID}: sealed by us for our domain, times not
     * judged yet), or why it holds nothing ({@link #FORGED}, {@link #OTHER_DOMAIN}).
     */
    private record Session(SsoVerdict.Status status, long issued, long lastSeen, SsoRevocations.SessionId id,
            String user) {
        static final Session FORGED = failed(SsoVerdict.Status.FORGED);
        static final Session OTHER_DOMAIN = failed(SsoVerdict.Status.OTHER_DOMAIN);

        private static Session failed(SsoVerdict.Status status) {
            return new Session(status, 0, 0, new SsoRevocations.SessionId(0, 0), "");
        }

        boolean sealed() {
            return status == SsoVerdict.Status.VALID;
        }
    }

    /**
     * The {@code Set-Cookie} value for {@code value}: {@code Domain} (when set), {@code Path=/}, {@code HttpOnly},
     * {@code SameSite=Lax}, {@code Max-Age} of the lifetime, and {@code Secure} when the client spoke HTTPS.
     */
    public String setCookie(String value, boolean secure) {
        return sso.cookieName() + "=" + value + (sso.domain().isEmpty() ? "" : "; Domain=" + sso.domain())
                + "; Path=/; Max-Age=" + timeout + "; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** The {@code Set-Cookie} value that ends the session in the browser (logout). */
    public String clearCookie(boolean secure) {
        return sso.cookieName() + "=" + (sso.domain().isEmpty() ? "" : "; Domain=" + sso.domain())
                + "; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
    }

    /** The SSO cookie's value in a {@code Cookie} header (the first one of that name), or empty. */
    public String find(String cookieHeader) {
        return CookieHeader.find(cookieHeader, sso.cookieName());
    }

    /** {@code cookieHeader} without the SSO cookie (every one of that name); empty when nothing else is left. */
    public String without(String cookieHeader) {
        return CookieHeader.without(cookieHeader, sso.cookieName());
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is missing from this JDK", e);
        }
    }
}
