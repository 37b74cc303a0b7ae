/**
 * RADIUS pre-authentication for Switchboard hosts: {@code RadiusAuthenticator} ({@code dev.switchboard.radius}), an
 * {@code Authenticator} that sends PAP Access-Requests over UDP. The aaa4j-radius client is an implementation
 * detail: no aaa4j type appears in the exported API.
 */
module dev.switchboard.radius {
    requires transitive dev.switchboard.api;

    requires org.aaa4j.radius.client;
    requires org.aaa4j.radius.core;
    requires org.slf4j;

    exports dev.switchboard.radius;
}
