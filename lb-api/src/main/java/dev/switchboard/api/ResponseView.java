package dev.switchboard.api;

/** The head of a real server's response, as the host reports it to a lease. */
public interface ResponseView {

    /** The status code. */
    int status();

    /** The first value of the named header (ignoring case), or {@code null} when absent. */
    String header(String name);

    /**
     * Every value of the named header, in order (a response may carry several {@code Set-Cookie}); the default
     * returns the first value only, so hosts should override it.
     */
    default java.util.List<String> headers(String name) {
        String v = header(name);
        return v == null ? java.util.List.of() : java.util.List.of(v);
    }

    /** A response view with a status and no headers. */
    static ResponseView ofStatus(int status) {
        return new ResponseView() {
            @Override
            public int status() {
                return status;
            }

            @Override
            public String header(String name) {
                return null;
            }
        };
    }
}
