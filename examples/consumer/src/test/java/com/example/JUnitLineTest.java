package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestEngine;

/**
 * The JUnit this project runs on is the one it declares ({@code junit.version}), whatever line and
 * whatever the order of its dependencies: http-server-junit5 brings no JUnit of its own.
 */
class JUnitLineTest {

    @Test
    void theDeclaredJUnitRunsTheTests() {
        String expected = System.getProperty("expected.junit.version");
        assertEquals(expected, Test.class.getPackage().getImplementationVersion(), "junit-jupiter-api");
        assertEquals(expected, engineVersion(), "junit-jupiter-engine");
    }

    private static String engineVersion() {
        for (TestEngine engine : java.util.ServiceLoader.load(TestEngine.class)) {
            if (engine.getId().equals("junit-jupiter")) {
                return engine.getVersion().orElse("unknown");
            }
        }
        return "none";
    }
}
