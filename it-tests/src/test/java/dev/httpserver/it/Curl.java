package dev.httpserver.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A curl to run scenarios with: the host's own ({@link HostCurl}) or one inside a container
 * ({@link ContainerCurl}). The scenarios see only this interface, so both modes run the same table.
 */
interface Curl extends AutoCloseable {

    /** Seconds curl may take for one invocation ({@code --max-time}). */
    int MAX_TIME_SECONDS = 60;

    /**
     * Put before every invocation's arguments by both implementations: no {@code ~/.curlrc}
     * ({@code -q}, must come first), no proxy from the environment, bounded in time, quiet but
     * showing errors.
     */
    List<String> BASE_OPTIONS = List.of("-q", "--noproxy", "*", "--max-time", Integer.toString(MAX_TIME_SECONDS),
            "--connect-timeout", "10", "-sS");

    /** "host" or "container (image)", for messages. */
    String describe();

    /** Runs {@code curl args...} to completion (bounded in time) and returns what it did. */
    Result run(String... args) throws IOException, InterruptedException;

    /** A path this curl can read (for {@code -T}, {@code --data-binary @}) holding the bytes of {@code hostFile}. */
    String stage(Path hostFile) throws IOException;

    /** A fresh path this curl can write to ({@code -o}); {@code name} only makes it readable. */
    String outputPath(String name) throws IOException;

    /** The file curl wrote at {@code curlPath} ({@link #outputPath}), as a file on the host. */
    Path retrieve(String curlPath) throws IOException;

    /**
     * A fresh path this curl (and the other tools) can write to, holding {@code content} already: a
     * partly downloaded file for {@code curl -C -} or {@code wget -c} to resume.
     */
    String outputPathHolding(String name, byte[] content) throws IOException;

    /**
     * Why {@code tool} (another download tool beside curl: {@code wget}, {@code aria2c}) cannot be run
     * where this curl runs, or null when it can.
     */
    String missingTool(String tool) throws IOException, InterruptedException;

    /** Runs {@code tool args...} where this curl runs (none of curl's {@link #BASE_OPTIONS}), bounded in time. */
    Result runTool(String tool, String... args) throws IOException, InterruptedException;

    @Override
    void close();

    /** What one curl invocation did. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {

        private static final int SHOWN = 4000;

        /** The command, exit code, stdout and stderr, for assertion messages. */
        String describe() {
            String tool = command.isEmpty() ? "curl" : command.get(0);
            return "\n$ " + shellQuote(command) + "\nexit code: " + exitCode
                    + "\n--- " + tool + " stdout ---\n" + cut(stdout) + "\n--- " + tool + " stderr ---\n" + cut(stderr) + "\n---";
        }

        /** The command as it could be pasted into a shell. */
        static String shellQuote(List<String> command) {
            StringBuilder sb = new StringBuilder();
            for (String arg : command) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(arg.matches("[A-Za-z0-9_@%+=:,./-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'");
            }
            return sb.toString();
        }

        private static String cut(String s) {
            return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "\n[... " + (s.length() - SHOWN) + " more chars]";
        }
    }
}
