package dev.httpserver.junit5;

import dev.httpserver.api.internal.TrustAnchors;
import dev.httpserver.netty.tls.PemMaterial;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority made for one test run, and a server certificate it signed for
 * {@code localhost}, {@code 127.0.0.1} and {@code ::1}: what an {@linkplain HttpServerExtension#https()
 * HTTPS test server} presents, and what its clients trust, in every form a client takes
 * ({@link #sslContext()}, {@link #trustManager()}, {@link #caCertificatePem()}). Made in memory (EC
 * P-256 keys, valid from a day ago for 30 days); nothing touches the JVM's default trust store.
 *
 * <pre>{@code
 * HttpClient client = HttpClient.newBuilder().sslContext(server.certificates().sslContext()).build();
 * OkHttpClient ok = new OkHttpClient.Builder()
 *         .sslSocketFactory(certs.sslContext().getSocketFactory(), certs.trustManager()).build();
 * certs.writeCaCertificatePem(dir.resolve("ca.pem"));   // curl --cacert dir/ca.pem
 * }</pre>
 */
public final class TlsCertificates {

    private static final Duration BEFORE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final X509Certificate ca;
    private final X509Certificate server;
    private final PemMaterial serverMaterial;

    private TlsCertificates(X509Certificate ca, X509Certificate server, PemMaterial serverMaterial) {
        this.ca = ca;
        this.server = server;
        this.serverMaterial = serverMaterial;
    }

    /**
     * A new certificate authority and a server certificate it signed.
     *
     * @return the certificates
     * @throws IllegalStateException if the JVM cannot make EC keys or sign with them
     */
    public static TlsCertificates generate() {
        try {
            SecureRandom random = new SecureRandom();
            KeyPair caKeys = ecKeys(random);
            KeyPair serverKeys = ecKeys(random);
            X500Name caName = new X500Name("CN=http-server-junit5 test CA");
            X509v3CertificateBuilder cab = builder(caName, caName, caKeys.getPublic(), caKeys.getPublic(), random);
            cab.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            cab.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            X509Certificate ca = sign(cab, caKeys);

            X509v3CertificateBuilder sb = builder(caName, new X500Name("CN=localhost"), serverKeys.getPublic(),
                    caKeys.getPublic(), random);
            sb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            sb.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            sb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            sb.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"),
            }));
            X509Certificate server = sign(sb, caKeys);
            return new TlsCertificates(ca, server, PemMaterial.of(serverKeys.getPrivate(), server, ca));
        } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot generate test certificates: " + e.getMessage(), e);
        }
    }

    private static KeyPair ecKeys(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey key,
            PublicKey issuerKey, SecureRandom random) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(159, random).setBit(0),
                Date.from(now.minus(BEFORE)), Date.from(now.plus(VALIDITY)), subject, key);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
        b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuerKey));
        return b;
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, KeyPair issuer)
            throws GeneralSecurityException, org.bouncycastle.operator.OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate())));
    }

    /**
     * The certificate authority's certificate: the one trust anchor a client needs.
     *
     * @return the CA certificate
     */
    public X509Certificate caCertificate() {
        return ca;
    }

    /**
     * The CA certificate in PEM ({@code -----BEGIN CERTIFICATE-----}), for {@code curl --cacert} and
     * other tools.
     *
     * @return the PEM text
     */
    public String caCertificatePem() {
        return TrustAnchors.pem(List.of(ca));
    }

    /**
     * Writes {@link #caCertificatePem()} to {@code file}, replacing it.
     *
     * @param file where to write
     * @throws IOException if it cannot be written
     */
    public void writeCaCertificatePem(Path file) throws IOException {
        Files.writeString(file, caCertificatePem(), StandardCharsets.US_ASCII);
    }

    /**
     * The server's certificate (for {@code localhost}, {@code 127.0.0.1}, {@code ::1}), signed by the CA.
     *
     * @return the server certificate
     */
    public X509Certificate serverCertificate() {
        return server;
    }

    /**
     * The server's key and chain (its certificate, then the CA's), as a server takes them
     * ({@code HttpServer.builder().tls(material, ...)}).
     *
     * @return the key material
     */
    public PemMaterial serverMaterial() {
        return serverMaterial;
    }

    /**
     * A trust manager that trusts the CA, and nothing else.
     *
     * @return the trust manager
     */
    public X509TrustManager trustManager() {
        return TrustAnchors.trustManager(List.of(ca));
    }

    /**
     * A client-side TLS context that trusts the CA, and nothing else: for the JDK's
     * {@code HttpClient}, {@code HttpsURLConnection}, OkHttp and Apache HttpClient.
     *
     * @return a new, initialised {@code TLS} context
     */
    public SSLContext sslContext() {
        return TrustAnchors.sslContext(List.of(ca));
    }

    @Override
    public String toString() {
        return "TlsCertificates[CA " + ca.getSubjectX500Principal().getName() + ", server "
                + server.getSubjectX500Principal().getName() + "]";
    }
}
