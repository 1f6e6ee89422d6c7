package dev.httpserver.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * http-server-bom has no parent (so that it passes on none of the parent's dependency management), so it
 * repeats three values of the parent pom; a service gets the BOM's, and they must be the ones the
 * artifacts were built with.
 */
class BomVersionsTest {

    private static final Path PARENT = Path.of("../pom.xml");
    private static final Path BOM = Path.of("../http-server-bom/pom.xml");

    private static String first(Path pom, String regex) throws IOException {
        Matcher m = Pattern.compile(regex).matcher(Files.readString(pom));
        if (!m.find()) {
            throw new AssertionError(pom + " has no " + regex);
        }
        return m.group(1).trim();
    }

    /** The value of {@code <name>} in the pom's properties. */
    private static String property(Path pom, String name) throws IOException {
        return first(pom, "<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">");
    }

    @Test
    void theBomNamesTheNettyTheServerIsBuiltWith() throws IOException {
        assertEquals(property(PARENT, "netty.version"), property(BOM, "netty.version"),
                "netty.version of http-server-bom/pom.xml (the native transports' version)");
    }

    @Test
    void theBomNamesTheBoringSslTheServerIsBuiltWith() throws IOException {
        assertEquals(property(PARENT, "tcnative.version"), property(BOM, "tcnative.version"),
                "tcnative.version of http-server-bom/pom.xml");
    }

    @Test
    void theBomHasTheProjectsVersion() throws IOException {
        // the first <version> after the artifactId: the project's own (neither pom has one before it but the parent's)
        String parent = first(PARENT, "<artifactId>http-server-parent</artifactId>\\s*<version>([^<]+)</version>");
        String bom = first(BOM, "<artifactId>http-server-bom</artifactId>\\s*<version>([^<]+)</version>");
        assertEquals(parent, bom, "<version> of http-server-bom/pom.xml");
    }
}
