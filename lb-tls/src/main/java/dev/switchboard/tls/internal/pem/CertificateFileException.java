package dev.switchboard.tls.internal.pem;

import java.util.Objects;

/**
 * A certificate, key or trust file that cannot be used, naming the file ({@link #source()}) and what is wrong
 * ({@link #problem()}), never the key material. The API turns it into a {@code TlsConfigurationException} with the
 * same source, problem and cause, so that this package depends on nothing of the API. Immutable.
 */
public final class CertificateFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /**
     * @param source the file (or in-memory certificate) the problem is in
     * @param problem what is wrong with it
     * @param cause the underlying exception, or {@code null}
     */
    public CertificateFileException(String source, String problem, Throwable cause) {
        super(Objects.requireNonNull(source, "source") + ": " + Objects.requireNonNull(problem, "problem"), cause);
        this.source = source;
        this.problem = problem;
    }

    /** The file the problem is in, as given to the reader. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
