package dev.httpserver.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the whole {@link Scenarios} table with one {@link Curl}: a subclass per mode says which.
 * Per class: one curl (one container in the container mode), one set of {@link Servers}; both are
 * stopped in {@link #stop()} whatever happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
abstract class CurlModeTest {

    private String cannotRun;
    private Curl curl;
    private Servers servers;

    /**
     * Why this mode cannot run on this machine, or null. When not null nothing is started and every
     * scenario is reported skipped with this reason.
     */
    protected String cannotRun() {
        return null;
    }

    /** The mode's curl. */
    protected abstract Curl openCurl() throws Exception;

    @BeforeAll
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void start() throws Exception {
        cannotRun = cannotRun();
        if (cannotRun != null) {
            return;
        }
        curl = openCurl();
        servers = new Servers();
        servers.start();
    }

    @AfterAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void stop() {
        try {
            if (curl != null) {
                curl.close();
            }
        } finally {
            if (servers != null) {
                servers.close();
            }
        }
    }

    static List<Scenario> scenarios() {
        return Scenarios.table();
    }

    // Reports read "scenario[1] cli: GET of a 1 KiB file ..." (surefire joins the two names).
    @DisplayName("scenario")
    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("scenarios")
    void scenario(Scenario scenario) throws Exception {
        assumeTrue(cannotRun == null, cannotRun);
        String missing = servers.unavailable(scenario.target());
        assumeTrue(missing == null, missing);
        scenario.check().run(new Probe(curl, servers, scenario.target()));
    }
}
