package dev.switchboard.micrometer.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code promtool check metrics} (Debian package {@code prometheus}; {@code .ci/promtool-setup} installs it
 * where it can) on a scrape: Prometheus' own parser and linter. {@link #find} is empty where promtool is absent, so
 * a test can skip with a message.
 */
public final class Promtool {

    private final Path executable;

    private Promtool(Path executable) {
        this.executable = executable;
    }

    /** promtool on the PATH, if any. */
    public static Optional<Promtool> find() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
            if (Files.isExecutable(p)) {
                return Optional.of(new Promtool(p));
            }
        }
        return Optional.empty();
    }

    /**
     * The result of one check: promtool's exit code (0: clean, 1: the text does not parse, 3: it parses but the
     * linter has remarks) and everything it printed (one remark a line, starting with the metric's name).
     */
    public record Check(int exitCode, String output) {

        /** Whether Prometheus' parser read the whole text (the linter may still have remarks). */
        public boolean parses() {
            return exitCode == 0 || exitCode == 3;
        }

        /** The linter's remarks about metrics whose name starts with {@code prefix}. */
        public List<String> remarksAbout(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    /** Feeds {@code text} to {@code promtool check metrics} and waits (at most 30 s) for its verdict. */
    public Check checkMetrics(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(executable.toString(), "check", "metrics"))
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream s = p.getInputStream()) {
            s.transferTo(out);
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("promtool check metrics did not finish in 30 s");
        }
        return new Check(p.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
