package dev.switchboard.api;

/** The head of a real server's response, as the host reports it to a lease. */
public interface ResponseView {

    /** The status code. */
    int status();

    /** The first value of the named header (ignoring case), or {@code null} when absent. */
    String header(String name);

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
