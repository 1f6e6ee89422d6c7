package dev.httpserver.it;

import org.junit.jupiter.api.DisplayName;

/**
 * The scenario table with curl in a container of {@link CurlImage#NAME}. Each scenario is reported
 * skipped, with the reason, when no Docker engine is reachable.
 */
@DisplayName("curl in a container")
class ContainerCurlTest extends CurlModeTest {

    @Override
    protected String cannotRun() {
        String why = ContainerCurl.dockerUnavailable();
        return why == null ? null : "container mode skipped, " + why + " (the host-mode scenarios still run)";
    }

    @Override
    protected Curl openCurl() throws Exception {
        return ContainerCurl.start();
    }
}
