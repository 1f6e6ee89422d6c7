package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CPython's own {@code Lib/test/test_httpservers.py}, its socket test cases run unchanged against this
 * server by {@code src/test/cpython/run_cpython_suite.py}: the base handler and logging cases against
 * Java ports of their handler classes ({@link CPythonSuiteHandlers}), the file-serving and CGI cases
 * against the command line. Every failure must be listed, with its reason, in
 * {@code src/test/cpython/expected-failures.txt} (and the README); a listed test that passes fails
 * the run too, so the list stays true.
 *
 * <p>The interpreter is the first of {@code $CPYTHON_SUITE_PYTHON}, pyenv's and the system's
 * {@code python3} that has its test package ({@code test.test_httpservers}; Debian's
 * {@code libpython3.X-testsuite}). CPython skips its CGI cases as root, so as root the suite runs as
 * {@code nobody} ({@code setpriv}), with the system's interpreter, from copies of the jar, classes
 * and script it can read.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CPythonSuiteTest {

    @TempDir
    Path work;

    @Test
    void cpythonsOwnSocketTestsPassAgainstTheServer() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        List<String> prefix = root
                ? List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
                : List.of();
        String python = findPython(prefix);
        Assumptions.assumeTrue(python != null, "no python3 with its test package (test.test_httpservers) found"
                + (root ? " that user nobody can run" : "") + "; on Debian: apt-get install libpython3-testsuite");

        // Copies the suite's user can read: the CLI jar (which holds the library), the handler classes, the script.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path jar = Files.copy(CliProcess.jar(), work.resolve("cli-all.jar"));
        Path classes = work.resolve("classes/dev/httpserver/it");
        Files.createDirectories(classes);
        Path built = Path.of(CPythonSuiteHandlers.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/httpserver/it");
        try (Stream<Path> files = Files.list(built)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.getFileName().toString().startsWith("CPythonSuiteHandlers"))::iterator) {
                Files.copy(f, classes.resolve(f.getFileName()));
            }
        }
        Path script = copyResource("run_cpython_suite.py");
        Path expected = copyResource("expected-failures.txt");
        Path report = work.resolve("report.txt");
        makeReadable(work);

        List<String> command = new ArrayList<>(prefix);
        command.add(python);
        command.add(script.toString());
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("SUITE_JAVA", ProcessHandle.current().info().command().orElse("java"));
        env.put("SUITE_CLASSPATH", work.resolve("classes") + ":" + jar);
        env.put("SUITE_CLI_JAR", jar.toString());
        env.put("SUITE_EXPECTED", expected.toString());
        env.put("SUITE_REPORT", report.toString());
        Path serverLog = work.resolve("server-stderr.txt");
        env.put("SUITE_SERVER_LOG", serverLog.toString());
        env.put("HOME", work.toString());
        if (root) {
            // nothing under /root (pyenv's shims first on PATH) is reachable for nobody
            env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
            env.keySet().removeIf(k -> k.startsWith("PYENV"));
        }
        env.put("TMPDIR", "/tmp");
        Path log = work.resolve("output.txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        boolean done = p.waitFor(12, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        String result = Files.exists(report) ? Files.readString(report, StandardCharsets.UTF_8) : "(no report)";
        System.out.println("CPython's test_httpservers.py (" + python + (root ? ", as nobody" : "") + "):\n" + result);
        assertTrue(done, "the suite did not finish in 12 minutes:\n" + tail(output));
        assertTrue(result.contains("SUMMARY run "), "no summary:\n" + tail(output));
        assertTrue(!result.contains("SUMMARY run 0,"), "no test ran:\n" + tail(output));
        assertEquals(0, p.exitValue(), () -> "unexpected failures, or expected ones now passing:\n" + result
                + "\nthe servers' stderr:\n" + tail(read(serverLog)));
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "(none)";
        } catch (IOException e) {
            return e.toString();
        }
    }

    private Path copyResource(String name) throws IOException {
        Path source = Path.of("src/test/cpython", name);
        return Files.copy(source, work.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    private static void makeReadable(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
            }
        }
    }

    /** The first interpreter that runs under {@code prefix} and imports CPython's test file. */
    private static String findPython(List<String> prefix) throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        String chosen = System.getenv("CPYTHON_SUITE_PYTHON");
        if (chosen != null && !chosen.isBlank()) {
            candidates.add(chosen);
        }
        Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        if (prefix.isEmpty() && Files.isDirectory(pyenv)) { // as nobody, nothing under root's home
            try (Stream<Path> versions = Files.list(pyenv)) {
                versions.map(v -> v.resolve("bin/python3")).filter(Files::isExecutable)
                        .sorted(Comparator.comparing(CPythonSuiteTest::minorVersion).reversed()) // the newest first
                        .forEach(v -> candidates.add(v.toString()));
            } catch (IOException e) {
                // none from pyenv
            }
        }
        candidates.add("/usr/bin/python3");
        candidates.add("python3");
        for (String python : candidates) {
            List<String> probe = new ArrayList<>(prefix);
            probe.addAll(List.of(python, "-c", "import test.test_httpservers"));
            try {
                Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
                try (InputStream in = p.getInputStream()) {
                    in.readAllBytes();
                }
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
                p.destroyForcibly();
            } catch (IOException notThere) {
                // next
            }
        }
        return null;
    }

    /** 13 for {@code .../3.13.0/bin/python3}. */
    private static int minorVersion(Path python) {
        String[] parts = python.getParent().getParent().getFileName().toString().split("\\.");
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String tail(String s) {
        return s.length() > 6000 ? "..." + s.substring(s.length() - 6000) : s;
    }
}
