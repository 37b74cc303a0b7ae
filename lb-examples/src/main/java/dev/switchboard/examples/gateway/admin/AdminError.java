package dev.switchboard.examples.gateway.admin;

/**
 * A request the admin API refuses, with the status and the message to answer with (never a stack trace).
 * Thrown by the routes, turned into a JSON error by the handler.
 */
final class AdminError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;

    AdminError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static AdminError badRequest(String message) {
        return new AdminError(400, message);
    }

    static AdminError notFound(String message) {
        return new AdminError(404, message);
    }

    int status() {
        return status;
    }
}
