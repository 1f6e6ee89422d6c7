package dev.httpserver.testcontainers;

import com.github.dockerjava.api.exception.NotFoundException;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.dockerclient.EnvironmentAndSystemPropertyClientProviderStrategy;
import org.testcontainers.dockerclient.TestcontainersHostPropertyClientProviderStrategy;

/**
 * Whether the container tests can run: a Docker engine that answers, and the images they need.
 * Without an engine, or without an image nobody asked for explicitly, the tests are skipped with the
 * reason; an image named explicitly (system property or environment variable) that is missing is a
 * failure, since the build said it would be there.
 */
final class Docker {

    /** The curl image: {@code -Dcurl.image}, else {@code CURL_IMAGE}, else {@code local/curl:latest} (see .ci/docker-up.sh). */
    static final String CURL_IMAGE = firstSet(System.getProperty("curl.image"), System.getenv("CURL_IMAGE"), "local/curl:latest");

    private Docker() {
    }

    /** Skips the calling test (class) unless an engine answers and {@code image} is there. */
    static void require(String image, boolean namedExplicitly) {
        String why = engineUnavailable();
        Assumptions.assumeTrue(why == null, () -> "container tests skipped: " + why);
        if (!imagePresent(image)) {
            if (namedExplicitly) {
                throw new AssertionError("the image " + image + " was named explicitly but is not in the Docker engine "
                        + "(build it with .ci/image-build.sh)");
            }
            Assumptions.abort("container tests skipped: no image " + image + " (build it with .ci/image-build.sh)");
        }
    }

    /** Skips unless the server image is there: {@link HttpServerContainer#defaultImage()}. */
    static void requireServerImage() {
        boolean explicit = isSet(System.getProperty(HttpServerContainer.IMAGE_PROPERTY))
                || isSet(System.getenv(HttpServerContainer.IMAGE_ENV));
        require(HttpServerContainer.defaultImage(), explicit);
    }

    /** Skips unless the curl image is there. */
    static void requireCurlImage() {
        boolean explicit = isSet(System.getProperty("curl.image")) || isSet(System.getenv("CURL_IMAGE"));
        require(CURL_IMAGE, explicit);
    }

    /**
     * Why no engine can be used, or null. When {@code DOCKER_HOST} is set, it must be the engine
     * Testcontainers found: like the docker command, and unlike Testcontainers, which falls back to
     * {@code /var/run/docker.sock} when {@code DOCKER_HOST} does not answer.
     */
    @SuppressWarnings("deprecation") // the strategy classes, only named here
    static String engineUnavailable() {
        DockerClientFactory docker = DockerClientFactory.instance();
        String host = System.getenv("DOCKER_HOST");
        if (!docker.isDockerAvailable()) {
            return "no Docker engine reachable" + (isSet(host) ? " (DOCKER_HOST=" + host + ")" : "");
        }
        if (isSet(host) && !docker.isUsing(EnvironmentAndSystemPropertyClientProviderStrategy.class)
                && !docker.isUsing(TestcontainersHostPropertyClientProviderStrategy.class)) {
            return "the Docker engine at DOCKER_HOST=" + host + " does not answer";
        }
        return null;
    }

    static boolean imagePresent(String image) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    private static boolean isSet(String s) {
        return s != null && !s.isBlank();
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (isSet(v)) {
                return v.trim();
            }
        }
        throw new IllegalArgumentException("no value");
    }
}
