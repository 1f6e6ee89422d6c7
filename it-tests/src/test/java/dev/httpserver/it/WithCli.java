package dev.httpserver.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A test that starts the command line ({@link #cli}) on a folder below {@link #dir}, stopped after each test. */
abstract class WithCli {

    @TempDir
    Path dir;
    CliProcess cli;

    @AfterEach
    void stopCli() {
        if (cli != null) {
            cli.close();
        }
    }
}
