package dev.switchboard.tls;

import dev.switchboard.tls.internal.pem.CertificateFileException;
import java.util.Objects;

/**
 * A certificate, key, trust bundle or keystore that cannot be used: unreadable or missing file, no PEM block,
 * invalid base64 or DER, an encrypted PEM key, a private key that does not match its certificate, a wrong PKCS#12
 * password. The message names the file (its {@link #source()}) and says what is wrong, never the key material:
 *
 * <pre>
 * /etc/switchboard/mail.key: the private key does not match the certificate in /etc/switchboard/mail.pem
 *     (CN=mail.example.com): RSA modulus differs
 * </pre>
 *
 * <p>Immutable. An expired certificate is not an error: it is logged at WARN when loaded.
 */
public final class TlsConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source the file (or {@code "in-memory certificate"}) the problem is in
     * @param problem what is wrong with it
     * @param cause the underlying exception, or {@code null}
     */
    public TlsConfigurationException(String source, String problem, Throwable cause) {
        super(Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file the problem is in, as given to the loader. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }

    /** The same problem, for the API: the file readers in tls.internal.pem do not know this class. */
    static TlsConfigurationException of(CertificateFileException e) {
        return new TlsConfigurationException(e.source(), e.problem(), e.getCause());
    }
}
