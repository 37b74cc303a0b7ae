package dev.switchboard.ldap;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * A directory server's address: {@code ldap://host[:port]} (port 389) or {@code ldaps://host[:port]} (port 636,
 * TLS from the first byte). A path, query or user info is refused: the base DN and everything else are separate
 * settings. Immutable.
 *
 * @param secure whether the scheme is {@code ldaps}
 * @param host a DNS name or an IP literal (without brackets)
 * @param port 1..65535
 */
record LdapUrl(boolean secure, String host, int port) {

    /**
     * Parses {@code url}.
     *
     * @throws IllegalArgumentException naming what is wrong with the value
     */
    static LdapUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + url + "' is not a URL (expected: ldap://host:389 or "
                    + "ldaps://host:636)", e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ldap") && !scheme.equals("ldaps")) {
            throw new IllegalArgumentException("'" + url + "' (expected: scheme ldap:// or ldaps://)");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("'" + url + "' has no host (expected: ldap://host:389)");
        }
        boolean extra = uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"));
        if (extra) {
            throw new IllegalArgumentException("'" + url + "' (expected: only scheme, host and port; the base DN "
                    + "goes in userDnPattern or userSearchBase)");
        }
        boolean secure = scheme.equals("ldaps");
        int port = uri.getPort() == -1 ? (secure ? 636 : 389) : uri.getPort();
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + url + "' port " + port + " (expected: 1..65535)");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new LdapUrl(secure, host, port);
    }

    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return (secure ? "ldaps://" : "ldap://") + h + ":" + port;
    }
}
