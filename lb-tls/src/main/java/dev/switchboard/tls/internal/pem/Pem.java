package dev.switchboard.tls.internal.pem;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Splits PEM text into its blocks ({@code -----BEGIN CERTIFICATE-----} ... {@code -----END CERTIFICATE-----}).
 * Text outside blocks (OpenSSL's "Bag Attributes", comments) is ignored. Throws {@link IllegalArgumentException}
 * naming the line for a block without its END line, mismatched BEGIN/END labels and invalid base64.
 */
public final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String DASHES = "-----";

    private Pem() {
    }

    /**
     * One block.
     *
     * @param label the word(s) after BEGIN, e.g. {@code CERTIFICATE}, {@code PRIVATE KEY}
     * @param der the decoded content
     * @param line the 1-based line of the BEGIN line
     * @param encrypted whether the block carried a legacy {@code Proc-Type: 4,ENCRYPTED} header
     */
    public record Block(String label, byte[] der, int line, boolean encrypted) {
    }

    /** Every block in {@code text}, in order. */
    public static List<Block> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = text.split("\r?\n|\r", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i].strip();
            if (line.startsWith(BEGIN) && line.endsWith(DASHES) && line.length() > BEGIN.length() + DASHES.length()) {
                i = readBlock(lines, i, blocks);
            } else {
                i++;
            }
        }
        return blocks;
    }

    private static int readBlock(String[] lines, int beginIndex, List<Block> out) {
        String begin = lines[beginIndex].strip();
        String label = begin.substring(BEGIN.length(), begin.length() - DASHES.length());
        StringBuilder base64 = new StringBuilder();
        boolean encrypted = false;
        for (int i = beginIndex + 1; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith(END)) {
                String endLabel = line.endsWith(DASHES) && line.length() >= END.length() + DASHES.length()
                        ? line.substring(END.length(), line.length() - DASHES.length()) : line;
                if (!endLabel.equals(label)) {
                    throw new IllegalArgumentException("line " + (i + 1) + ": '" + line + "' does not close 'BEGIN "
                            + label + "' of line " + (beginIndex + 1));
                }
                out.add(new Block(label, decode(base64, label, beginIndex + 1), beginIndex + 1, encrypted));
                return i + 1;
            }
            if (line.startsWith(BEGIN)) {
                break;
            }
            if (line.indexOf(':') >= 0) {
                encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
            } else {
                base64.append(line);
            }
        }
        throw new IllegalArgumentException("line " + (beginIndex + 1) + ": 'BEGIN " + label + "' has no END line");
    }

    private static byte[] decode(StringBuilder base64, String label, int line) {
        try {
            byte[] der = Base64.getDecoder().decode(base64.toString());
            if (der.length == 0) {
                throw new IllegalArgumentException("line " + line + ": the " + label + " block is empty");
            }
            return der;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("line ")) {
                throw e;
            }
            throw new IllegalArgumentException("line " + line + ": the " + label + " block is not valid base64", e);
        }
    }
}
