package dev.switchboard.netty.internal.http;

/**
 * The pages of the gateway's login: a plain HTML form (no script, no external resources, labelled fields, the
 * message announced to screen readers) and short status pages. Every value put in a page is HTML-escaped.
 * Stateless.
 */
final class LoginHtml {

    private LoginHtml() {
    }

    /** The login form posting to {@code action}, with {@code message} (may be empty) above it. */
    static String form(String realm, String message, String next, String csrf) {
        StringBuilder sb = new StringBuilder(1_500);
        head(sb, "Sign in");
        sb.append("<main>\n<h1>Sign in to ").append(escape(realm)).append("</h1>\n");
        if (!message.isEmpty()) {
            sb.append("<p role=\"alert\"><strong>").append(escape(message)).append("</strong></p>\n");
        }
        sb.append("<form method=\"post\" action=\"").append(LoginPage.LOGIN).append("\">\n")
                .append("<input type=\"hidden\" name=\"csrf\" value=\"").append(escape(csrf)).append("\">\n")
                .append("<input type=\"hidden\" name=\"next\" value=\"").append(escape(next)).append("\">\n")
                .append("<p><label for=\"username\">User name</label><br>\n")
                .append("<input id=\"username\" name=\"username\" type=\"text\" autocomplete=\"username\"")
                .append(" autocapitalize=\"none\" spellcheck=\"false\" required autofocus></p>\n")
                .append("<p><label for=\"password\">Password</label><br>\n")
                .append("<input id=\"password\" name=\"password\" type=\"password\"")
                .append(" autocomplete=\"current-password\" required></p>\n")
                .append("<p><button type=\"submit\">Sign in</button></p>\n</form>\n</main>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** A page with a title, a message and a link. */
    static String notice(String title, String message, String linkText, String link) {
        StringBuilder sb = new StringBuilder(600);
        head(sb, title);
        sb.append("<main>\n<h1>").append(escape(title)).append("</h1>\n<p>").append(escape(message))
                .append("</p>\n");
        if (!link.isEmpty()) {
            sb.append("<p><a href=\"").append(escape(link)).append("\">").append(escape(linkText)).append("</a></p>\n");
        }
        return sb.append("</main>\n</body>\n</html>\n").toString();
    }

    private static void head(StringBuilder sb, String title) {
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>")
                .append(escape(title)).append("</title>\n</head>\n<body>\n");
    }

    /** {@code text} with {@code & < > " '} as character references. */
    static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
