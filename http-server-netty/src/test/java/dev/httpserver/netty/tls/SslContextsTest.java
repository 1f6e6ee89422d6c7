package dev.httpserver.netty.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SslContextsTest {

    private static final PemMaterial MATERIAL = SelfSigned.generate().material();

    private final String savedProperty = System.getProperty(SslContexts.PROVIDER_PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (savedProperty == null) {
            System.clearProperty(SslContexts.PROVIDER_PROPERTY);
        } else {
            System.setProperty(SslContexts.PROVIDER_PROPERTY, savedProperty);
        }
    }

    @Test
    void alpnDefaultsToHttp11AsPythonDoes() {
        assertEquals(List.of("http/1.1"), SslContexts.alpnProtocols(null));
        assertEquals(List.of("h2", "http/1.1"), SslContexts.alpnProtocols(List.of("h2", "http/1.1")));
        assertEquals(List.of("http/1.1", "h2"), SslContexts.alpnProtocols(List.of("http/1.1", "h2")));
        assertEquals(List.of(), SslContexts.alpnProtocols(List.of()));
    }

    @Test
    void unknownAlpnNamesAreNamed() {
        TlsConfigException e = assertThrows(TlsConfigException.class,
                () -> SslContexts.server(MATERIAL, List.of("h2", "spdy/3.1", "HTTP/1.1")));
        assertTrue(e.getMessage().contains("unknown ALPN protocols"), e.getMessage());
        assertTrue(e.getMessage().contains("'spdy/3.1'"), e.getMessage());
        assertTrue(e.getMessage().contains("'HTTP/1.1'"), e.getMessage());
        assertTrue(e.getMessage().contains("'h2' and 'http/1.1'"), e.getMessage());
        assertFalse(e.getMessage().contains("'h2',"), "h2 is known: " + e.getMessage());

        TlsConfigException h3 = assertThrows(TlsConfigException.class, () -> SslContexts.server(MATERIAL, List.of("h3")));
        assertTrue(h3.getMessage().contains("unknown ALPN protocol 'h3'"), h3.getMessage());
        assertThrows(TlsConfigException.class, () -> SslContexts.alpnProtocols(Arrays.asList("h2", null)));
        TlsConfigException twice = assertThrows(TlsConfigException.class,
                () -> SslContexts.alpnProtocols(List.of("h2", "h2")));
        assertTrue(twice.getMessage().contains("'h2' is listed twice"), twice.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = SslProvider.class, names = {"JDK", "OPENSSL"})
    void aServerContextOnEachProvider(SslProvider provider) {
        assumeProvider(provider);
        SslContext ctx = SslContexts.server(MATERIAL, List.of("h2", "http/1.1"), provider);
        assertTrue(ctx.isServer());
        assertEquals(provider == SslProvider.JDK, ctx instanceof JdkSslContext, ctx.getClass().getName());
        assertEquals(List.of("h2", "http/1.1"), ctx.applicationProtocolNegotiator().protocols());
        SSLEngine engine = ctx.newEngine(ByteBufAllocator.DEFAULT);
        try {
            Set<String> enabled = new TreeSet<>(Arrays.asList(engine.getEnabledProtocols()));
            // Netty's OpenSSL engine always lists the SSLv2Hello pseudo-protocol; BoringSSL never accepts one
            enabled.remove("SSLv2Hello");
            assertEquals(Set.of("TLSv1.2", "TLSv1.3"), enabled);
            assertFalse(engine.getUseClientMode());
        } finally {
            ReferenceCountUtil.release(engine);
        }

        SslContext noAlpn = SslContexts.server(MATERIAL, List.of(), provider);
        assertTrue(noAlpn.applicationProtocolNegotiator().protocols().isEmpty());
        SslContext byDefault = SslContexts.server(MATERIAL, null, provider);
        assertEquals(List.of("http/1.1"), byDefault.applicationProtocolNegotiator().protocols());
    }

    @Test
    void theProviderIsBoringSslWhenItLoadsAndTheJdkOtherwise() {
        System.clearProperty(SslContexts.PROVIDER_PROPERTY);
        if (OpenSsl.isAvailable()) {
            assertEquals(SslProvider.OPENSSL, SslContexts.defaultProvider());
            assertEquals("OpenSSL (" + OpenSsl.versionString() + ")", SslContexts.providerName());
            assertTrue(SslContexts.server(MATERIAL, null) instanceof OpenSslContext);
        } else {
            assertEquals(SslProvider.JDK, SslContexts.defaultProvider());
            assertEquals("JDK", SslContexts.providerName());
        }
    }

    @Test
    void aSystemPropertyForcesTheJdk() {
        System.setProperty(SslContexts.PROVIDER_PROPERTY, "jdk");
        assertEquals(SslProvider.JDK, SslContexts.defaultProvider());
        assertEquals("JDK", SslContexts.providerName());
        assertTrue(SslContexts.server(MATERIAL, null) instanceof JdkSslContext);

        System.setProperty(SslContexts.PROVIDER_PROPERTY, "JDK ");
        assertEquals(SslProvider.JDK, SslContexts.defaultProvider());

        System.setProperty(SslContexts.PROVIDER_PROPERTY, "auto");
        assertEquals(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK, SslContexts.defaultProvider());

        System.setProperty(SslContexts.PROVIDER_PROPERTY, "openssl");
        if (OpenSsl.isAvailable()) {
            assertEquals(SslProvider.OPENSSL, SslContexts.defaultProvider());
        } else {
            assertThrows(IllegalStateException.class, SslContexts::defaultProvider);
        }

        System.setProperty(SslContexts.PROVIDER_PROPERTY, "gnutls");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, SslContexts::defaultProvider);
        assertTrue(e.getMessage().contains("gnutls"), e.getMessage());
    }

    static void assumeProvider(SslProvider provider) {
        if (provider == SslProvider.OPENSSL) {
            assumeTrue(OpenSsl.isAvailable(), () -> "netty-tcnative does not load here: " + OpenSsl.unavailabilityCause());
        }
    }
}
