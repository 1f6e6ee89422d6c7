package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.testcontainers.HttpServerContainer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.testcontainers.DockerClientFactory;

/** The server as a container; skipped when no Docker engine answers or the image is not there. */
@Timeout(180)
class StaticSiteContainerTest {

    @BeforeAll
    static void needsDockerAndTheImage() {
        Assumptions.assumeTrue(DockerClientFactory.instance().isDockerAvailable(), "no Docker engine");
        String image = HttpServerContainer.defaultImage();
        boolean present;
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            present = true;
        } catch (RuntimeException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, () -> "no image " + image + " (.ci/image-build.sh builds it)");
    }

    @Test
    void servesTheSiteFolder() throws Exception {
        // tag::container[]
        try (HttpServerContainer web = new HttpServerContainer()      // HTTP_SERVER_IMAGE, else this release's image
                .withDirectory(Path.of("src/test/resources/site"))   // copied to /srv, the folder served
                .withNetworkMode("host")) {                          // or a Network and withNetworkAliases("web")
            web.start();                                             // returns once "Serving HTTP on ..." is printed

            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(web.getUrl("/index.html")).build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("Hello from a container"));
            assertEquals(web.getUrl("/"), web.getInternalUrl("/"));  // host networking: one URL for all
        }
        // end::container[]
    }
}
