package dev.switchboard.health;

/** The request method of an HTTP check. */
public enum HttpMethod {
    GET,
    HEAD,
    POST
}
