/**
 * TLS material and contexts for {@code HttpsServer}: {@link dev.httpserver.netty.tls.PemMaterial}
 * (a certificate chain and private key read from PEM files with BouncyCastle, as Python's
 * {@code load_cert_chain} reads them), {@link dev.httpserver.netty.tls.SslContexts} (Netty
 * {@code SslContext}s configured as Python's {@code HTTPSServer}: TLS 1.3 and 1.2, ALPN, BoringSSL or
 * the JDK's engine), {@link dev.httpserver.netty.tls.SelfSigned} (an in-memory self-signed
 * certificate for {@code localhost}) and {@link dev.httpserver.netty.tls.TlsConfigException}, the one
 * exception for every configuration problem.
 *
 * <p>What it may use: the JDK, BouncyCastle ({@code bcpkix}, used as a provider object and never
 * installed globally) and Netty's {@code io.netty.handler.ssl}; nothing of the server's pipeline in
 * {@code dev.httpserver.netty}, which uses this package and not the other way round. The classes
 * behind {@code PemMaterial} (PEM blocks, key forms, key checks) are package-private.
 */
package dev.httpserver.netty.tls;
