package dev.httpserver.it;

import org.junit.jupiter.api.DisplayName;

/** The scenario table with the host's own curl. Always runs: curl must be installed. */
@DisplayName("curl on the host")
class HostCurlTest extends CurlModeTest {

    @Override
    protected Curl openCurl() throws Exception {
        return new HostCurl();
    }
}
