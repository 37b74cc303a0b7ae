package dev.switchboard.engine.auth;

import dev.switchboard.api.SingleSignOn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Objects;
import java.util.function.LongSupplier;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens the single sign-on cookie: AES-256-GCM under a key derived from the SSO secret (HKDF-SHA256), a
 * random 96-bit nonce per cookie, the cookie's name as associated data. The sealed payload is the user, the time of
 * the login ({@code issued}), the time it was last seen, and the SSO domain, so a cookie is valid only for its
 * domain, until {@code timeout} after the login and {@code idleTimeout} after its last use. A client can neither
 * read the content nor change one bit of it (the GCM tag, checked in constant time by the JDK, fails). Opening is
 * crypto only, no I/O: the engine does it on the request path. A valid cookie whose last-seen time is older than a
 * quarter of the idle timeout comes back with a refreshed value to set.
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

    private static final byte VERSION = 1;
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

    private SsoCookies(SingleSignOn sso, LongSupplier epochSeconds) {
        this.sso = sso;
        this.key = new SecretKeySpec(Secrets.derive(sso.secret(), "sso cookie aes-256-gcm", 32), "AES");
        this.aad = (sso.cookieName() + "\u0000" + VERSION).getBytes(StandardCharsets.US_ASCII);
        this.epochSeconds = epochSeconds;
        this.timeout = sso.timeout().toSeconds();
        this.idleTimeout = sso.idleTimeout().toSeconds();
        this.refreshAfter = Math.max(1, idleTimeout / 4);
    }

    /** Cookies of {@code sso}, timed by the system clock. */
    public static SsoCookies of(SingleSignOn sso) {
        return of(sso, () -> System.currentTimeMillis() / 1000);
    }

    /** Cookies of {@code sso}, timed by {@code epochSeconds} (a test clock, the engine's coarse clock). */
    public static SsoCookies of(SingleSignOn sso, LongSupplier epochSeconds) {
        return new SsoCookies(Objects.requireNonNull(sso, "sso"), Objects.requireNonNull(epochSeconds, "clock"));
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
        return seal(user, now, now);
    }

    private String seal(String user, long issued, long lastSeen) {
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        byte[] d = sso.domain().getBytes(StandardCharsets.US_ASCII);
        ByteBuffer plain = ByteBuffer.allocate(16 + 1 + d.length + u.length);
        plain.putLong(issued).putLong(lastSeen).put((byte) d.length).put(d).put(u);
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
        if (value.isEmpty() || value.length() > MAX_VALUE_LENGTH) {
            return SsoVerdict.of(SsoVerdict.Status.FORGED);
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return SsoVerdict.of(SsoVerdict.Status.FORGED);
        }
        if (raw.length < 1 + NONCE + TAG_BITS / 8 + 17 || raw[0] != VERSION) {
            return SsoVerdict.of(SsoVerdict.Status.FORGED);
        }
        byte[] plain;
        try {
            Cipher c = CIPHERS.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 1, NONCE));
            c.updateAAD(aad);
            plain = c.doFinal(raw, 1 + NONCE, raw.length - 1 - NONCE);
        } catch (AEADBadTagException e) {
            return SsoVerdict.of(SsoVerdict.Status.FORGED);
        } catch (GeneralSecurityException e) {
            return SsoVerdict.of(SsoVerdict.Status.FORGED);
        }
        return judge(ByteBuffer.wrap(plain));
    }

    private SsoVerdict judge(ByteBuffer p) {
        long issued = p.getLong();
        long lastSeen = p.getLong();
        int domainLength = p.get() & 0xff;
        if (p.remaining() <= domainLength) {
            return SsoVerdict.of(SsoVerdict.Status.FORGED);
        }
        String domain = new String(p.array(), 17, domainLength, StandardCharsets.US_ASCII);
        String user = new String(p.array(), 17 + domainLength, p.remaining() - domainLength,
                StandardCharsets.UTF_8);
        if (!domain.equals(sso.domain())) {
            return SsoVerdict.of(SsoVerdict.Status.OTHER_DOMAIN);
        }
        long now = epochSeconds.getAsLong();
        if (now - issued >= timeout || issued > now + 60) {
            return SsoVerdict.of(SsoVerdict.Status.EXPIRED);
        }
        if (now - lastSeen >= idleTimeout) {
            return SsoVerdict.of(SsoVerdict.Status.IDLE);
        }
        String refreshed = now - lastSeen >= refreshAfter ? seal(user, issued, now) : "";
        return new SsoVerdict(SsoVerdict.Status.VALID, user, refreshed);
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
