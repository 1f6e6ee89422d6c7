package dev.httpserver.it;

/**
 * The one place that names the Docker image the container-mode tests run curl in.
 *
 * <p>Order: the system property {@code curl.image} ({@code ./mvnw verify -Dcurl.image=...}), then the
 * environment variable {@code CURL_IMAGE} (.ci/run exports the locally built {@code local/curl:<version>}),
 * then the pinned public image {@link #DEFAULT} (what the public CI runner pulls).
 *
 * <p>Any image works that holds {@code curl} and {@code sleep}; its entrypoint does not matter (the
 * container is started with {@code sleep} as entrypoint, since {@code curlimages/curl} has
 * {@code curl} there).
 */
public final class CurlImage {

    /** The pinned public image used when nothing overrides it. */
    public static final String DEFAULT = "curlimages/curl:8.11.1";

    /** The image the container-mode tests use. */
    public static final String NAME = resolve();

    private CurlImage() {
    }

    private static String resolve() {
        String property = System.getProperty("curl.image");
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        String env = System.getenv("CURL_IMAGE");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        return DEFAULT;
    }
}
