package dev.httpserver.netty;

import dev.httpserver.netty.tls.SelfSigned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpClient;
import java.security.KeyStore;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** One self-signed localhost certificate for the TLS tests, and clients that trust it. */
final class TlsTesting {

    static final SelfSigned CERT = SelfSigned.generate();
    static final SSLContext CLIENT_TLS = clientContext();

    private TlsTesting() {
    }

    private static SSLContext clientContext() {
        try {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("localhost", CERT.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JDK's client, trusting {@link #CERT}, offering {@code version} (HTTP_2: ALPN h2, or Upgrade: h2c in cleartext). */
    static HttpClient client(HttpClient.Version version) {
        return HttpClient.newBuilder()
                .version(version)
                .sslContext(CLIENT_TLS)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A TLS socket to {@code address} that has completed its handshake, offering the given ALPN protocols. */
    static SSLSocket handshake(InetSocketAddress address, String... alpn) throws IOException {
        SSLSocket s = (SSLSocket) CLIENT_TLS.getSocketFactory().createSocket(address.getHostString(), address.getPort());
        s.setSoTimeout(20_000);
        SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(alpn);
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    /** Writes {@code request}, returns everything until the server closes (a {@code Connection: close} request). */
    static String exchange(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = s.getInputStream();
        return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
