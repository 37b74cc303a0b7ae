package dev.switchboard.engine.internal.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

    private static final int MAX = 8192;

    private static String normalize(String path) {
        return PathNormalizer.normalize(path, MAX);
    }

    private static void assertRejected(String path, String reason) {
        assertThatThrownBy(() -> normalize(path))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("path");
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.value()).isSameAs(path);
                });
    }

    // --- start of the path, length ---

    @Test
    void normalize_emptyPath_returnsRoot() {
        assertThat(normalize("")).isEqualTo("/");
    }

    @Test
    void normalize_asterisk_isReturnedAsIs() {
        String asterisk = new String("*");
        assertThat(normalize(asterisk)).isSameAs(asterisk);
    }

    @ParameterizedTest
    @ValueSource(strings = {"owa", "owa/x", "**", "*/x", ".", "../x", "%2F", "http://h/x"})
    void normalize_noLeadingSlash_isRejected(String path) {
        assertRejected(path, "path must start with '/'");
    }

    @Test
    void normalize_overMaxLength_isRejected() {
        String path = "/" + "a".repeat(99);
        assertThatThrownBy(() -> PathNormalizer.normalize(path, 99))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.reason()).isEqualTo("path too long"));
    }

    @Test
    void normalize_exactlyMaxLength_isAccepted() {
        String path = "/" + "a".repeat(99);
        assertThat(PathNormalizer.normalize(path, 100)).isSameAs(path);
    }

    @Test
    void normalize_lengthLimit_countsRawCharactersBeforeDecoding() {
        assertThatThrownBy(() -> PathNormalizer.normalize("/%41%42", 6)).isInstanceOf(BadRequestException.class);
        assertThat(PathNormalizer.normalize("/%41%42", 7)).isEqualTo("/AB");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void normalize_nonPositiveMaxLength_throwsIllegalArgument(int maxLength) {
        assertThatThrownBy(() -> PathNormalizer.normalize("/", maxLength))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLength: " + maxLength + " (expected: > 0)");
    }

    @Test
    void normalize_nullPath_throwsNullPointer() {
        assertThatNullPointerException().isThrownBy(() -> normalize(null)).withMessage("rawPath");
    }

    // --- raw characters ---

    @ParameterizedTest
    @ValueSource(strings = {"/a\u0000b", "/a\tb", "/a\nb", "/a\rb", "/a\u001fb", "/a\u007fb", "/x\u0001", "//a\nb",
        "/a%41\u0000"})
    void normalize_controlCharacter_isRejected(String path) {
        assertRejected(path, "control character is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a b", "/ ", "//a b", "/%41 "})
    void normalize_space_isRejected(String path) {
        assertRejected(path, "space is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/é", "/\u00e9", "/caf\u00e9\u0301", "/\u0080", "/\u00a0", "/\ud83d\ude00", "/a/../\u00e9",
        "/%41\u00e9"})
    void normalize_nonAscii_isRejected(String path) {
        assertRejected(path, "non-ASCII character is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a#b", "/#", "/a/./#x"})
    void normalize_hash_isRejected(String path) {
        assertRejected(path, "fragment '#' is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\\b", "/owa\\..\\ecp", "/\\", "//a\\b", "/%41\\"})
    void normalize_backslash_isRejected(String path) {
        assertRejected(path, "backslash is not allowed");
    }

    @Test
    void normalize_allPrintableAsciiExceptExcluded_isAcceptedUnchanged() {
        StringBuilder sb = new StringBuilder("/");
        for (char c = 0x21; c < 0x7F; c++) {
            if (c != '#' && c != '\\' && c != '%' && c != '/') {
                sb.append(c);
            }
        }
        String path = sb.toString();
        assertThat(normalize(path)).isSameAs(path);
    }

    // --- percent escapes ---

    @ParameterizedTest
    @ValueSource(strings = {"/a%4", "/a%", "/%", "/a%zz", "/a%4g", "/a%g4", "/a%%41", "/a%4/1", "/a%-1", "/a% 1"})
    void normalize_invalidPercentEscape_isRejected(String path) {
        assertRejected(path, "invalid percent escape");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%2Fb", "/a%2fb", "/%2F", "/a%2F..%2Fb", "/%2e%2e%2f"})
    void normalize_encodedSlash_isRejected(String path) {
        assertRejected(path, "encoded slash is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%5Cb", "/a%5cb", "/..%5c..%5cwindows"})
    void normalize_encodedBackslash_isRejected(String path) {
        assertRejected(path, "encoded backslash is not allowed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00", "/a%0a", "/a%0D%0A", "/a%1f", "/a%1F", "/a%7f", "/a%7F", "/a%09", "/%01"})
    void normalize_encodedControlCharacter_isRejected(String path) {
        assertRejected(path, "encoded control character is not allowed");
    }

    @ParameterizedTest
    @CsvSource({"/%41, /A", "/%61%62c, /abc", "/%30%39, /09", "/%2D%2d, /--", "/%5F, /_", "/a/%2E%2e/x/, /x/",
        "/x%2Ey, /x.y", "/%5A%7A, /Zz"})
    void normalize_escapedUnreservedCharacter_isDecoded(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    @Test
    void normalize_escapedTilde_isDecoded() {
        assertThat(normalize("/%7euser/x")).isEqualTo("/~user/x");
        assertThat(normalize("/%7Euser")).isEqualTo("/~user");
    }

    @Test
    void normalize_lowerCaseEscape_isUpperCased() {
        assertThat(normalize("/caf%c3%a9")).isEqualTo("/caf%C3%A9");
    }

    @ParameterizedTest
    @CsvSource({"/a%20b, /a%20b", "/a%3f, /a%3F", "/a%23, /a%23", "/a%2b%2C, /a%2B%2C", "/%ff%Fe, /%FF%FE",
        "/%3a%3A, /%3A%3A", "/%80, /%80"})
    void normalize_escapedReservedOrNonAsciiByte_staysEncodedUpperCased(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    @Test
    void normalize_escapedPercent_isNotDecodedTwice() {
        assertThat(normalize("/%252F")).isEqualTo("/%252F");
        String escapedDots = "/%252e%252e/x";
        assertThat(normalize(escapedDots)).isSameAs(escapedDots);
    }

    // --- slashes and dot segments ---

    @ParameterizedTest
    @CsvSource({"//owa///x, /owa/x", "//, /", "///, /", "/a//, /a/", "/a//b//, /a/b/", "//%41, /A"})
    void normalize_duplicateSlashes_areMerged(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/a/./b, /a/b", "/./a, /a", "/a/././b/., /a/b/", "/a/%2e/b, /a/b"})
    void normalize_dotSegment_isRemoved(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/owa/../ecp, /ecp", "/a/b/../c, /a/c", "/a/b/../../c, /c", "/a/b/c/../../d/, /a/d/",
        "/a//..//b, /b", "/a/b/./../c, /a/c", "/.foo/../...//x, /.../x"})
    void normalize_dotDotSegment_removesPreviousSegment(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"/owa/%2e%2e/ecp, /ecp", "/owa/%2E%2E/ecp, /ecp", "/owa/%2e./ecp, /ecp", "/owa/.%2E/ecp, /ecp",
        "/owa/%2e%2e, /"})
    void normalize_encodedDotDot_isRemovedLikeRawDotDot(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/..", "/../", "/../x", "/%2e%2e/x", "/.%2e", "/a/../..", "/a/../../b", "//..//x",
        "/./..", "/a/b/../../../c"})
    void normalize_dotDotAboveRoot_isRejected(String path) {
        assertRejected(path, "path climbs above root");
    }

    @ParameterizedTest
    @CsvSource({"/a/b/.., /a/", "/a/., /a/", "/a/b/%2e%2E, /a/", "/., /", "/a/.., /", "/./, /", "/a/./, /a/"})
    void normalize_trailingDotSegment_leavesTrailingSlash(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/...", "/.foo", "/a/..b", "/a/b..", "/a./b", "/.well-known/acme", "/a/.../b", "/.a/..a/"})
    void normalize_dotLikeName_isOrdinarySegment(String path) {
        assertThat(normalize(path)).isSameAs(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/owa/", "/OWA/Ecp", "/owa/ecp/x.aspx", "/a-b_c~d/e;f=g,h/@i:j!$&'()*+=", "/a?b",
        "/caf%C3%A9/a%20b"})
    void normalize_normalizedPath_returnsSameInstance(String path) {
        assertThat(normalize(path)).isSameAs(path);
    }

    @ParameterizedTest
    @CsvSource({"/owa/, /owa/", "//owa//, /owa/", "/OwA/%65Cp/../X, /OwA/X", "//OWA/, /OWA/", "/%41b, /Ab"})
    void normalize_rewrittenPath_keepsTrailingSlashAndCase(String path, String expected) {
        assertThat(normalize(path)).isEqualTo(expected);
    }

    // --- the exception ---

    @Test
    void normalize_rejectedPath_messageNamesFieldReasonAndValue() {
        BadRequestException e = catchThrowableOfType(BadRequestException.class, () -> normalize("/a%2Fb"));

        assertThat(e.getMessage()).isEqualTo("path: encoded slash is not allowed (got \"/a%2Fb\")");
        assertThat(e.field()).isEqualTo("path");
        assertThat(e.reason()).isEqualTo("encoded slash is not allowed");
        assertThat(e.value()).isEqualTo("/a%2Fb");
    }

    @Test
    void badRequestException_longValue_isTruncatedInMessageOnly() {
        String value = "/" + "a".repeat(99);

        BadRequestException e = new BadRequestException("path", "path too long", value);

        assertThat(e.getMessage())
                .isEqualTo("path: path too long (got \"/" + "a".repeat(63) + "\"... [100 chars])");
        assertThat(e.value()).isSameAs(value);
    }

    @Test
    void badRequestException_valueOfExactly64Chars_isNotTruncated() {
        String value = "/" + "a".repeat(63);

        assertThat(new BadRequestException("path", "r", value).getMessage())
                .isEqualTo("path: r (got \"" + value + "\")");
    }

    @Test
    void badRequestException_controlAndNonAsciiCharacters_areEscapedInMessage() {
        BadRequestException e = new BadRequestException("path", "r", "/a\u0000\r\n\u007f\u00e9\ud83d\ude00\"\\");

        assertThat(e.getMessage())
                .isEqualTo("path: r (got \"/a\\x00\\x0D\\x0A\\x7F\\u00E9\\uD83D\\uDE00\\\"\\\\\")")
                .isASCII();
    }

    @Test
    void badRequestException_always_hasNoStackTraceAndNoSuppression() {
        BadRequestException e = new BadRequestException("path", "r", "/x");
        e.addSuppressed(new IllegalStateException());

        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.fillInStackTrace()).isSameAs(e);
        assertThat(e.getStackTrace()).isEmpty();
        assertThat(e.getSuppressed()).isEmpty();
        assertThat(e.getCause()).isNull();
    }

    // --- randomized ---

    private static final String ALPHABET = "/.%2fFeE5cC0aA~ x\\";

    private static String randomPath(SplittableRandom random) {
        int length = random.nextInt(17);
        StringBuilder sb = new StringBuilder(length + 1);
        if (random.nextInt(10) != 0) {
            sb.append('/');
        }
        for (int i = 0; i < length; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Test
    void normalize_randomInput_isNormalizedAndIdempotentOrRejected() {
        SplittableRandom random = new SplittableRandom(20240611L);
        int accepted = 0;
        int rewritten = 0;
        for (int n = 0; n < 20_000; n++) {
            String path = randomPath(random);
            String result;
            try {
                result = normalize(path);
            } catch (BadRequestException e) {
                assertThat(e.field()).as("input %s", path).isEqualTo("path");
                continue;
            }
            accepted++;
            if (!result.equals(path)) {
                rewritten++;
            }
            assertThat(result).as("normalize(\"%s\")", path)
                    .startsWith("/")
                    .doesNotContain("//", "/./", "/../")
                    .doesNotEndWith("/.")
                    .doesNotEndWith("/..");
            assertThat(normalize(result)).as("normalize(normalize(\"%s\"))", path)
                    .isEqualTo(result)
                    .isSameAs(result);
        }
        assertThat(accepted).as("accepted inputs").isGreaterThan(2_000).isLessThan(19_000);
        assertThat(rewritten).as("rewritten inputs").isGreaterThan(500);
    }

    /** Whole tokens rather than characters, so that dot segments and escapes of dots come up often. */
    private static final String[] TOKENS = {"/", "/", "/", "//", ".", ".", "..", "%2e", "%2E", "a", "B", "~", "%7e",
        "%c3", "%20"};

    /** Tokens that make the path invalid, picked rarely so that most token paths are valid. */
    private static final String[] BAD_TOKENS = {"%2f", "%5C", "%00", "%", "%4", " ", "\\", "#"};

    private static String randomTokenPath(SplittableRandom random) {
        int count = random.nextInt(10);
        StringBuilder sb = new StringBuilder("/");
        for (int i = 0; i < count; i++) {
            String[] tokens = random.nextInt(40) == 0 ? BAD_TOKENS : TOKENS;
            sb.append(tokens[random.nextInt(tokens.length)]);
        }
        return sb.toString();
    }

    @Test
    void normalize_randomInput_agreesWithReferenceImplementation() {
        SplittableRandom random = new SplittableRandom(7L);
        int accepted = 0;
        int climbing = 0;
        for (int n = 0; n < 20_000; n++) {
            String path = n % 2 == 0 ? randomPath(random) : randomTokenPath(random);
            Optional<String> expected = reference(path);
            if (expected.isPresent()) {
                accepted++;
                assertThat(normalize(path)).as("normalize(\"%s\")", path).isEqualTo(expected.get());
            } else {
                Throwable thrown = catchThrowableOfType(BadRequestException.class, () -> normalize(path));
                assertThat(thrown).as("normalize(\"%s\")", path).isNotNull();
                if (((BadRequestException) thrown).reason().equals("path climbs above root")) {
                    climbing++;
                }
            }
        }
        assertThat(accepted).as("accepted inputs").isGreaterThan(5_000);
        assertThat(climbing).as("inputs climbing above root").isGreaterThan(500);
    }

    /** A slow, obvious normalizer (decode, split, stack) to compare against; empty when the path is rejected. */
    private static Optional<String> reference(String path) {
        if (path.isEmpty() || path.equals("*")) {
            return Optional.of(path.isEmpty() ? "/" : path);
        }
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        StringBuilder decoded = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '#' || c == '\\') {
                return Optional.empty();
            }
            if (c != '%') {
                decoded.append(c);
                continue;
            }
            if (i + 2 >= path.length()) {
                return Optional.empty();
            }
            String hex = "0123456789abcdefABCDEF";
            if (hex.indexOf(path.charAt(i + 1)) < 0 || hex.indexOf(path.charAt(i + 2)) < 0) {
                return Optional.empty();
            }
            int value = Integer.parseInt(path.substring(i + 1, i + 3), 16);
            if (value == '/' || value == '\\' || value < 0x20 || value == 0x7F) {
                return Optional.empty();
            }
            boolean unreserved = Character.isLetterOrDigit(value) && value < 0x80 || "-._~".indexOf(value) >= 0;
            decoded.append(unreserved ? String.valueOf((char) value) : String.format("%%%02X", value));
            i += 2;
        }
        return removeDotSegments(decoded.toString());
    }

    private static Optional<String> removeDotSegments(String decoded) {
        String[] parts = decoded.split("/", -1);
        Deque<String> stack = new ArrayDeque<>();
        boolean trailingSlash = false;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            boolean last = i == parts.length - 1;
            if (part.equals("..")) {
                if (stack.isEmpty()) {
                    return Optional.empty();
                }
                stack.removeLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                stack.addLast(part);
                continue;
            }
            trailingSlash |= last;
        }
        String joined = "/" + String.join("/", stack);
        return Optional.of(trailingSlash && !stack.isEmpty() ? joined + "/" : joined);
    }
}
