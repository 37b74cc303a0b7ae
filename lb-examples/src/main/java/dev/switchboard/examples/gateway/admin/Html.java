package dev.switchboard.examples.gateway.admin;

/**
 * HTML escaping for the stats page. {@link #escape} is safe in element text and in double- or single-quoted
 * attribute values; it is not for unquoted attributes, URLs, scripts or styles (the page puts names nowhere else).
 */
final class Html {

    private Html() {
    }

    /** Replaces {@code & < > " '} with character references; everything else is kept. */
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
