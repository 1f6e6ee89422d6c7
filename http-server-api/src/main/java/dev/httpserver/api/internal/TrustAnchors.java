package dev.httpserver.api.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * What a test client needs to trust a test server's certificates and nothing else: a trust manager,
 * a TLS context, PEM text. Shared by the JUnit 5 fixture and the container.
 */
public final class TrustAnchors {

    private TrustAnchors() {
    }

    /**
     * A trust manager that trusts {@code anchors}, and nothing else.
     *
     * @param anchors the certificates to trust
     * @return the trust manager
     * @throws IllegalStateException if the JVM cannot make one
     */
    public static X509TrustManager trustManager(List<X509Certificate> anchors) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : anchors) {
                store.setCertificateEntry("anchor-" + i++, c);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            for (TrustManager m : f.getTrustManagers()) {
                if (m instanceof X509TrustManager) {
                    return (X509TrustManager) m;
                }
            }
            throw new IllegalStateException("no X509TrustManager from " + f.getAlgorithm());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot make a trust manager: " + e.getMessage(), e);
        }
    }

    /**
     * A client-side TLS context that trusts {@code anchors}, and nothing else.
     *
     * @param anchors the certificates to trust
     * @return a new, initialised {@code TLS} context
     * @throws IllegalStateException if the JVM cannot make one
     */
    public static SSLContext sslContext(List<X509Certificate> anchors) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager(anchors)}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context: " + e.getMessage(), e);
        }
    }

    /**
     * The certificates as PEM text, one {@code BEGIN CERTIFICATE} block each, lines of 64 characters.
     *
     * @param certificates the certificates
     * @return the PEM text
     * @throws IllegalStateException if a certificate cannot be encoded
     */
    public static String pem(List<X509Certificate> certificates) {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        for (X509Certificate c : certificates) {
            try {
                pem.append("-----BEGIN CERTIFICATE-----\n").append(base64.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("cannot encode a certificate: " + e.getMessage(), e);
            }
        }
        return pem.toString();
    }
}
