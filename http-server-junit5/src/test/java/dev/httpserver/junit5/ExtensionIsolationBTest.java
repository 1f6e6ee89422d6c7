package dev.httpserver.junit5;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Runs at the same time as ExtensionIsolationATest; see {@link Isolation}. */
@Timeout(180)
class ExtensionIsolationBTest {

    @RegisterExtension
    static final HttpServerExtension server = HttpServerExtension.scripted();

    @Test
    void twoClassesRunningAtOnceEachHaveTheirOwnServerAndRecord() throws Exception {
        Isolation.check(server, "B");
    }
}
