package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.httpserver.netty.HttpServer;
import dev.httpserver.netty.tls.SslContexts;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The two lines of this pom that add Netty's native libraries, without versions (the BOM gives them):
 * the versions match the Netty on the class path, only the declared platform's library comes, and on
 * that platform the server uses them.
 */
class NativeLibrariesTest {

    private static final Pattern NETTY_JAR = Pattern.compile("(netty-[a-z0-9_-]+?)-(\\d+\\.\\d+\\.\\d+\\.[A-Za-z]+)(-[a-z0-9_-]+)?\\.jar");

    private static List<String> classPathJars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> new File(p).getName())
                .filter(n -> n.endsWith(".jar"))
                .collect(Collectors.toList());
    }

    private static String versionOf(String artifactAndClassifier) {
        for (String jar : classPathJars()) {
            Matcher m = NETTY_JAR.matcher(jar);
            if (m.matches() && artifactAndClassifier.equals(m.group(1) + (m.group(3) == null ? "" : m.group(3)))) {
                return m.group(2);
            }
        }
        throw new AssertionError(artifactAndClassifier + " is not on the class path: " + classPathJars());
    }

    @Test
    void theNativeEpollLibraryIsTheVersionOfTheNettyOnTheClassPath() {
        assertEquals(versionOf("netty-transport"), versionOf("netty-transport-native-epoll-linux-x86_64"));
        assertEquals(versionOf("netty-transport"), versionOf("netty-transport-classes-epoll"));
    }

    @Test
    void onlyTheDeclaredPlatformsBoringSslComes() {
        List<String> tcnative = classPathJars().stream().filter(j -> j.startsWith("netty-tcnative-boringssl-static"))
                .collect(Collectors.toList());
        assertEquals(1, tcnative.size(), "one BoringSSL library, not every platform's: " + tcnative);
        assertTrue(tcnative.get(0).endsWith("-linux-x86_64.jar"), tcnative.get(0));
    }

    @Test
    void onLinuxX8664TheServerUsesThem() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "the libraries declared are for Linux x86-64; this is " + os + " " + arch);
        assertTrue(Epoll.isAvailable(), () -> "epoll does not load: " + Epoll.unavailabilityCause());
        assertEquals("epoll", HttpServer.transport());
        assertTrue(OpenSsl.isAvailable(), () -> "BoringSSL does not load: " + OpenSsl.unavailabilityCause());
        assertEquals(SslProvider.OPENSSL, SslContexts.defaultProvider());
    }
}
