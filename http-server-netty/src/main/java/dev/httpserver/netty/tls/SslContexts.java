package dev.httpserver.netty.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslProvider;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;

/**
 * Netty {@link SslContext}s for {@code HttpsServer}, configured as Python 3.14's {@code HTTPSServer}
 * configures its {@code SSLContext}: TLS 1.3 and 1.2 only (1.2 with ECDHE and AEAD suites only, as
 * Netty's {@code Http2SecurityUtil.CIPHERS}), the certificate chain and key of a
 * {@link PemMaterial}, and ALPN with the server's list of protocols ({@code ["http/1.1"]} by default).
 *
 * <p>The TLS engine is BoringSSL (netty-tcnative) when it is on the class path and loads, the JDK's
 * otherwise; both behave the same here (protocols, ALPN choice, failures).
 * {@code -Ddev.httpserver.tls.provider=jdk} forces the JDK's engine, {@code =openssl} requires
 * BoringSSL, {@code =auto} (the default) picks as above.
 *
 * <p>ALPN: the server picks the first protocol of its own list that the client offers; a client that
 * offers none of them still connects, with no protocol negotiated (Python's behaviour), and is then
 * spoken to in HTTP/1.1.
 */
public final class SslContexts {

    /** The system property that chooses the TLS engine: {@code jdk}, {@code openssl} or {@code auto}. */
    public static final String PROVIDER_PROPERTY = "dev.httpserver.tls.provider";

    /** Python's default {@code alpn_protocols}: {@code ["http/1.1"]}. */
    public static final List<String> DEFAULT_ALPN_PROTOCOLS = List.of(ApplicationProtocolNames.HTTP_1_1);

    /** The ALPN protocol names a server can speak. */
    public static final Set<String> KNOWN_ALPN_PROTOCOLS = Set.of(ApplicationProtocolNames.HTTP_2,
            ApplicationProtocolNames.HTTP_1_1);

    /** The TLS versions enabled, newest first: older versions are refused at the handshake. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private SslContexts() {
    }

    /**
     * A server context for {@code material}, on the engine {@link #defaultProvider()} picks.
     *
     * @return a context for TLS 1.3 and 1.2 servers, shared by every connection
     * @param material      the certificate chain and key
     * @param alpnProtocols the ALPN protocols in the server's order of preference, among {@code h2}
     *                      and {@code http/1.1}; null for {@link #DEFAULT_ALPN_PROTOCOLS}; empty for no
     *                      ALPN at all
     * @throws TlsConfigException if an ALPN name is unknown or the engine refuses the key or chain
     */
    public static SslContext server(PemMaterial material, List<String> alpnProtocols) {
        return server(material, alpnProtocols, defaultProvider());
    }

    /**
     * A server context for {@code material} on the given engine ({@link SslProvider#JDK} or
     * {@link SslProvider#OPENSSL}), otherwise as {@link #server(PemMaterial, List)}.
     *
     * @param material the certificate chain and key
     * @param alpnProtocols the ALPN protocols, as for {@link #server(PemMaterial, List)}
     * @param provider the TLS engine: {@link SslProvider#JDK} or {@link SslProvider#OPENSSL}
     * @return a context for TLS 1.3 and 1.2 servers, shared by every connection
     * @throws IllegalStateException if {@code provider} is {@code OPENSSL} and BoringSSL did not load
     * @throws IllegalArgumentException if {@code provider} is neither {@code JDK} nor {@code OPENSSL}
     * @throws TlsConfigException if an ALPN name is unknown or the engine refuses the key or chain
     */
    public static SslContext server(PemMaterial material, List<String> alpnProtocols, SslProvider provider) {
        Objects.requireNonNull(material, "material");
        Objects.requireNonNull(provider, "provider");
        List<String> alpn = alpnProtocols(alpnProtocols);
        if (provider != SslProvider.JDK && provider != SslProvider.OPENSSL) {
            throw new IllegalArgumentException("unsupported TLS provider " + provider + ": use JDK or OPENSSL");
        }
        if (provider == SslProvider.OPENSSL && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("the OpenSSL TLS engine (netty-tcnative-boringssl-static) is not available: "
                    + OpenSsl.unavailabilityCause());
        }
        SslContextBuilder builder = SslContextBuilder.forServer(material.privateKey(), material.chain())
                .sslProvider(provider)
                .protocols(PROTOCOLS)
                // TLS 1.2 with forward secrecy and AEAD only (no RSA key exchange, no CBC, no SHA-1), which is
                // also what RFC 9113 9.2.2 leaves h2; TLS 1.3's suites all qualify
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE);
        if (!alpn.isEmpty()) {
            builder.applicationProtocolConfig(new ApplicationProtocolConfig(Protocol.ALPN,
                    // a client offering none of our protocols still connects, without ALPN (as OpenSSL does for Python)
                    SelectorFailureBehavior.NO_ADVERTISE,
                    SelectedListenerFailureBehavior.ACCEPT,
                    alpn));
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsConfigException("cannot set up TLS (" + providerName(provider) + ") with the certificate "
                    + material.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253) + " and its "
                    + material.keyAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /**
     * The ALPN list a server would use: {@link #DEFAULT_ALPN_PROTOCOLS} for null, otherwise the given
     * names, each known ({@code h2}, {@code http/1.1}) and given once.
     *
     * @param alpnProtocols the names in order of preference, or null
     * @return the list, unmodifiable
     * @throws TlsConfigException naming the unknown, empty or repeated names
     */
    public static List<String> alpnProtocols(List<String> alpnProtocols) {
        if (alpnProtocols == null) {
            return DEFAULT_ALPN_PROTOCOLS;
        }
        List<String> unknown = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String name : alpnProtocols) {
            if (name == null || !KNOWN_ALPN_PROTOCOLS.contains(name)) {
                unknown.add(name == null ? "null" : "'" + name + "'");
            } else if (!seen.add(name)) {
                throw new TlsConfigException("the ALPN protocol '" + name + "' is listed twice in " + alpnProtocols);
            }
        }
        if (!unknown.isEmpty()) {
            throw new TlsConfigException("unknown ALPN protocol" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + ": the server speaks 'h2' and 'http/1.1' (names are case-sensitive)");
        }
        return List.copyOf(seen);
    }

    /**
     * The engine {@link #server(PemMaterial, List)} uses: {@link SslProvider#OPENSSL} when BoringSSL
     * loads, {@link SslProvider#JDK} otherwise or when {@value #PROVIDER_PROPERTY} is {@code jdk}.
     *
     * @return the engine to use
     * @throws IllegalArgumentException if the property has another value than jdk, openssl or auto
     * @throws IllegalStateException if the property asks for openssl and BoringSSL did not load
     */
    public static SslProvider defaultProvider() {
        String wanted = System.getProperty(PROVIDER_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT);
        switch (wanted) {
            case "jdk":
                return SslProvider.JDK;
            case "openssl":
                if (!OpenSsl.isAvailable()) {
                    throw new IllegalStateException("-D" + PROVIDER_PROPERTY + "=openssl, but the OpenSSL TLS engine"
                            + " (netty-tcnative-boringssl-static) is not available: " + OpenSsl.unavailabilityCause());
                }
                return SslProvider.OPENSSL;
            case "auto":
            case "":
                return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            default:
                throw new IllegalArgumentException("-D" + PROVIDER_PROPERTY + "=" + wanted
                        + " is not a TLS engine: use jdk, openssl or auto");
        }
    }

    /**
     * The engine in use, for logs: {@code OpenSSL (BoringSSL)} or {@code JDK}.
     *
     * @return {@code OpenSSL (BoringSSL)} or {@code JDK}
     */
    public static String providerName() {
        return providerName(defaultProvider());
    }

    /**
     * The name of {@code provider} for logs: {@code OpenSSL (BoringSSL)} or {@code JDK}.
     *
     * @param provider the engine
     * @return {@code OpenSSL (BoringSSL)} or {@code JDK}
     */
    public static String providerName(SslProvider provider) {
        if (provider == SslProvider.JDK) {
            return "JDK";
        }
        String version = OpenSsl.isAvailable() ? OpenSsl.versionString() : null;
        return "OpenSSL (" + (version == null ? "not available" : version) + ")";
    }
}
