package com.example;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The snippets of the http-server README are the code of this project: each region marked
 * {@code tag::NAME[]} ... {@code end::NAME[]} in a source file or the pom must appear in the README
 * (indentation aside), so that the README shows only code this build compiles and runs.
 */
class ReadmeSnippetsTest {

    private static final Path README = Path.of("../../README.md");
    private static final Pattern REGION = Pattern.compile(
            "^[^\\n]*tag::([a-z0-9-]+)\\[\\][^\\n]*\\n(.*?)^[^\\n]*end::\\1\\[\\][^\\n]*$", Pattern.MULTILINE | Pattern.DOTALL);

    @Test
    void everyMarkedRegionIsInTheReadme() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(README), "not inside the http-server repository");
        String readme = normalize(Files.readString(README));
        List<Path> sources = new ArrayList<>(List.of(Path.of("pom.xml")));
        try (Stream<Path> files = Files.walk(Path.of("src"))) {
            sources.addAll(files.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList()));
        }
        int regions = 0;
        for (Path source : sources) {
            Matcher m = REGION.matcher(Files.readString(source));
            while (m.find()) {
                regions++;
                String snippet = normalize(m.group(2));
                assertFalse(snippet.isBlank(), source + " " + m.group(1));
                assertTrue(readme.contains(snippet), "README.md lacks the region '" + m.group(1) + "' of " + source
                        + " (copy it there again):\n" + m.group(2));
            }
        }
        assertTrue(regions >= 7, "found only " + regions + " marked regions");
    }

    /** Each line without its leading and trailing spaces, empty lines dropped. */
    private static String normalize(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }
}
