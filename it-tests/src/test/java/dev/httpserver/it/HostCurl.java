package dev.httpserver.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The host's {@code curl}, run as a process; its output files live in a temporary folder. */
final class HostCurl implements Curl {

    private final Path work;
    private final AtomicInteger counter = new AtomicInteger();

    HostCurl() throws IOException {
        work = Files.createTempDirectory("it-host-curl-");
    }

    @Override
    public String describe() {
        return "host curl";
    }

    @Override
    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("curl");
        command.addAll(BASE_OPTIONS);
        command.addAll(List.of(args));
        return execute(command);
    }

    @Override
    public Result runTool(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(List.of(args));
        return execute(command);
    }

    @Override
    public String missingTool(String tool) {
        String path = System.getenv("PATH");
        for (String d : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return null;
            }
        }
        return tool + " is not installed on this machine (not on PATH); .ci/run installs it";
    }

    @Override
    public String outputPathHolding(String name, byte[] content) throws IOException {
        String path = outputPath(name);
        Files.write(Path.of(path), content);
        return path;
    }

    private Result execute(List<String> command) throws IOException, InterruptedException {
        String tool = command.get(0);
        int n = counter.incrementAndGet();
        Path out = work.resolve("run-" + n + ".stdout");
        Path err = work.resolve("run-" + n + ".stderr");
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
        } catch (IOException e) {
            throw new IOException("cannot run " + tool + " on the host (is it installed and on PATH?): " + e.getMessage(), e);
        }
        p.getOutputStream().close(); // no stdin
        try {
            if (!p.waitFor(MAX_TIME_SECONDS + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new AssertionError(tool + " did not finish within " + (MAX_TIME_SECONDS + 30) + " s despite its time limit"
                        + new Result(command, -1, read(out), read(err)).describe());
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
            }
        }
        return new Result(command, p.exitValue(), read(out), read(err));
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
    }

    @Override
    public String stage(Path hostFile) {
        return hostFile.toAbsolutePath().toString();
    }

    @Override
    public String outputPath(String name) {
        return work.resolve("out-" + counter.incrementAndGet() + "-" + name).toString();
    }

    @Override
    public Path retrieve(String curlPath) {
        return Path.of(curlPath);
    }

    @Override
    public void close() {
        try (Stream<Path> files = Files.walk(work)) {
            for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a temporary folder left behind is not a test failure
        }
    }
}
