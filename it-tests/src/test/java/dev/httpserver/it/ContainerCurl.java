package dev.httpserver.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.dockerclient.EnvironmentAndSystemPropertyClientProviderStrategy;
import org.testcontainers.dockerclient.TestcontainersHostPropertyClientProviderStrategy;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * curl inside one container of {@link CurlImage#NAME}, on the host's network (so {@code 127.0.0.1}
 * and {@code ::1} are the host's and the servers started by the tests are reachable), each
 * invocation an {@code exec}. The container runs {@code sleep} as entrypoint, whatever the image's
 * own is, and ends by itself after {@link #LIFETIME_SECONDS} even if this JVM dies without
 * stopping it (it is started with auto-remove, since Ryuk may be disabled).
 */
final class ContainerCurl implements Curl {

    /** How long the container lives at most; far more than a test class takes. */
    static final int LIFETIME_SECONDS = 900;

    private final GenericContainer<?> container;
    private final Path work;
    private final AtomicInteger counter = new AtomicInteger();
    private final Map<Path, String> staged = new HashMap<>();

    private ContainerCurl(GenericContainer<?> container, Path work) {
        this.container = container;
        this.work = work;
    }

    /** Starts the container; see {@link #dockerUnavailable()} first. */
    @SuppressWarnings("resource") // closed by close()
    static ContainerCurl start() throws IOException {
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(CurlImage.NAME))
                .withNetworkMode("host")
                .withCreateContainerCmdModifier(cmd -> {
                    cmd.withEntrypoint("sleep");
                    cmd.getHostConfig().withAutoRemove(true);
                })
                .withCommand(Integer.toString(LIFETIME_SECONDS))
                .withStartupAttempts(1)
                .withStartupTimeout(Duration.ofSeconds(60));
        Path work = Files.createTempDirectory("it-container-curl-");
        ContainerCurl curl = new ContainerCurl(c, work);
        try {
            c.start();
            System.out.println("container mode: " + CurlImage.NAME + ", container " + c.getContainerId());
        } catch (RuntimeException e) {
            curl.close();
            throw new IllegalStateException("cannot start a container of " + CurlImage.NAME
                    + " (set CURL_IMAGE or -Dcurl.image to an image with curl and sleep): " + e.getMessage(), e);
        }
        return curl;
    }

    /**
     * Why no Docker engine can be used, or null when one can. An engine is usable when Testcontainers
     * finds one ({@link DockerClientFactory#isDockerAvailable()}) and, when {@code DOCKER_HOST} is set,
     * it is the engine {@code DOCKER_HOST} names: like the docker CLI, and unlike Testcontainers,
     * which falls back to {@code /var/run/docker.sock} when {@code DOCKER_HOST} does not answer.
     */
    @SuppressWarnings("deprecation") // the strategy classes, only named here
    static String dockerUnavailable() {
        DockerClientFactory docker = DockerClientFactory.instance();
        String dockerHost = System.getenv("DOCKER_HOST");
        boolean dockerHostSet = dockerHost != null && !dockerHost.isBlank();
        if (!docker.isDockerAvailable()) {
            return "no Docker engine reachable" + (dockerHostSet ? " (DOCKER_HOST=" + dockerHost + ")" : "");
        }
        if (dockerHostSet && !docker.isUsing(EnvironmentAndSystemPropertyClientProviderStrategy.class)
                && !docker.isUsing(TestcontainersHostPropertyClientProviderStrategy.class)) {
            return "the Docker engine at DOCKER_HOST=" + dockerHost + " does not answer (Testcontainers would fall back to "
                    + docker.getTransportConfig().getDockerHost() + "; unset DOCKER_HOST to use that one)";
        }
        return null;
    }

    @Override
    public String describe() {
        return "curl in a container of " + CurlImage.NAME;
    }

    @Override
    public Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("curl");
        command.addAll(BASE_OPTIONS);
        command.addAll(List.of(args));
        ExecResult r = container.execInContainer(command.toArray(String[]::new));
        return new Result(command, r.getExitCode(), r.getStdout(), r.getStderr());
    }

    @Override
    public Result runTool(String tool, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(List.of(args));
        ExecResult r = container.execInContainer(command.toArray(String[]::new));
        return new Result(command, r.getExitCode(), r.getStdout(), r.getStderr());
    }

    @Override
    public String missingTool(String tool) throws IOException, InterruptedException {
        ExecResult r = container.execInContainer("sh", "-c", "command -v \"$0\"", tool);
        return r.getExitCode() == 0 ? null
                : tool + " is not in the image " + CurlImage.NAME + " (.ci/curl-image.sh packs it when the host has it)";
    }

    @Override
    public String outputPathHolding(String name, byte[] content) throws IOException {
        String target = outputPath(name);
        Path local = work.resolve("partial-" + counter.incrementAndGet() + "-" + name);
        Files.write(local, content);
        container.copyFileToContainer(MountableFile.forHostPath(local, 0644), target);
        return target;
    }

    @Override
    public synchronized String stage(Path hostFile) {
        return staged.computeIfAbsent(hostFile.toAbsolutePath(), f -> {
            String target = "/tmp/in-" + counter.incrementAndGet() + "-" + f.getFileName();
            container.copyFileToContainer(MountableFile.forHostPath(f, 0644), target);
            return target;
        });
    }

    @Override
    public String outputPath(String name) {
        return "/tmp/out-" + counter.incrementAndGet() + "-" + name;
    }

    @Override
    public Path retrieve(String curlPath) throws IOException {
        Path local = work.resolve(Path.of(curlPath).getFileName().toString());
        try {
            container.copyFileFromContainer(curlPath, in -> Files.copy(in, local, StandardCopyOption.REPLACE_EXISTING));
        } catch (RuntimeException e) {
            throw new IOException("cannot copy " + curlPath + " out of the container: " + e.getMessage(), e);
        }
        return local;
    }

    @Override
    public void close() {
        try {
            container.stop();
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.deleteIfExists(f);
                }
            } catch (IOException e) {
                // a temporary folder left behind is not a test failure
            }
        }
    }
}
