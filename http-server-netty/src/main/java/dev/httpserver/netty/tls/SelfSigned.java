package dev.httpserver.netty.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

/**
 * A key and a self-signed certificate for {@code localhost}, made in memory: for tests, demos and a
 * quick local HTTPS server. Nothing is written to disk unless {@link #writePem} is called.
 *
 * <p>The certificate's subject and issuer are {@code CN=localhost}; its subject alternative names are
 * {@code DNS:localhost}, {@code IP:127.0.0.1} and {@code IP:::1}, so clients that check host names
 * (curl, browsers, the JDK's {@code HttpsURLConnection}) accept it for any of them once told to trust
 * it ({@code curl --cacert cert.pem}); it is valid from one day ago (clock skew) to 30 days from
 * now, and is an end-entity certificate ({@code CA:FALSE}, extended key usage server authentication,
 * no key usage extension).
 *
 * <pre>{@code
 * SelfSigned cert = SelfSigned.generate();
 * SslContext ctx = SslContexts.server(cert.material(), null);
 * cert.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));   // for curl --cacert dir/cert.pem
 * System.out.println("SHA-256 fingerprint " + cert.sha256Fingerprint());
 * }</pre>
 */
public final class SelfSigned {

    /** The key to generate. */
    public enum KeyType {
        /** An ECDSA key on the NIST P-256 curve (secp256r1), signed with SHA-256: small and fast. */
        EC_P256,
        /** A 2048-bit RSA key, signed with SHA-256: for clients that know no EC. */
        RSA_2048
    }

    /** The host name the certificate is for. */
    public static final String HOST = "localhost";

    private static final Duration BEFORE = Duration.ofDays(1);
    private static final Duration VALIDITY = Duration.ofDays(30);

    private final X509Certificate certificate;
    private final PrivateKey key;

    private SelfSigned(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * A new EC P-256 key and its self-signed certificate for {@code localhost}.
     *
     * @return a fresh key and a certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}
     */
    public static SelfSigned generate() {
        return generate(KeyType.EC_P256);
    }

    /**
     * A new key of {@code type} and its self-signed certificate for {@code localhost}.
     *
     * @param type the kind of key to generate: EC P-256 or RSA 2048
     * @return a fresh key and a certificate for {@code localhost}, {@code 127.0.0.1} and {@code ::1}
     */
    public static SelfSigned generate(KeyType type) {
        Objects.requireNonNull(type, "type");
        boolean ec = type == KeyType.EC_P256;
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ec ? "EC" : "RSA");
            if (ec) {
                generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            } else {
                generator.initialize(2048, random);
            }
            KeyPair pair = generator.generateKeyPair();

            X500Name name = new X500Name("CN=" + HOST);
            // A positive serial of at most 20 bytes (RFC 5280), random as the CA/Browser Forum asks.
            BigInteger serial = new BigInteger(159, random).setBit(0);
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(BEFORE)), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            // No KeyUsage: with one, OpenSSL 1.1 sees the certificate as self-signed (a trust anchor for
            // curl --cacert) only if it allows keyCertSign, which RFC 5280 reserves for CA certificates.
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, HOST),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"),
            }));
            builder.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(pair.getPublic()));
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder(ec ? "SHA256withECDSA" : "SHA256withRSA").build(pair.getPrivate())));
            return new SelfSigned(cert, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    /**
     * The self-signed certificate.
     *
     * @return the certificate, valid for {@code localhost}, {@code 127.0.0.1} and {@code ::1}
     */
    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * The chain to serve: the certificate alone (a copy).
     *
     * @return a new one-element array holding {@link #certificate()}
     */
    public X509Certificate[] chain() {
        return new X509Certificate[] {certificate};
    }

    /**
     * The private key of {@link #certificate()}.
     *
     * @return the private key
     */
    public PrivateKey privateKey() {
        return key;
    }

    /**
     * The key and certificate, for {@link SslContexts#server}.
     *
     * @return the key and certificate as {@link PemMaterial}
     */
    public PemMaterial material() {
        return PemMaterial.of(key, certificate);
    }

    /**
     * The certificate's SHA-256 fingerprint as {@code openssl x509 -noout -fingerprint -sha256} prints
     * it (without its {@code sha256 Fingerprint=} prefix): 32 upper-case hex pairs joined by {@code :}.
     *
     * @return the fingerprint, {@code AB:CD:...} (32 pairs)
     */
    public String sha256Fingerprint() {
        return sha256Fingerprint(certificate);
    }

    /**
     * The SHA-256 fingerprint of any certificate, in the form of {@link #sha256Fingerprint()}.
     *
     * @param certificate the certificate to fingerprint
     * @return the fingerprint, {@code AB:CD:...} (32 pairs)
     * @throws IllegalStateException if the certificate cannot be encoded or SHA-256 is unavailable
     */
    public static String sha256Fingerprint(X509Certificate certificate) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot compute a SHA-256 fingerprint: " + e.getMessage(), e);
        }
    }

    /**
     * The certificate as PEM text ({@code -----BEGIN CERTIFICATE-----}).
     *
     * @return the certificate in PEM, with its BEGIN and END lines
     */
    public String certificatePem() {
        return pem(certificate);
    }

    /**
     * The private key as unencrypted PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}).
     *
     * @return the key in PEM, with its BEGIN and END lines
     */
    public String privateKeyPem() {
        try {
            return pem(new JcaPKCS8Generator(key, null));
        } catch (PemGenerationException e) {
            throw new IllegalStateException("cannot encode the private key: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the certificate and the key (unencrypted PKCS#8) as PEM files, replacing them if they
     * exist; the key file is readable by its owner only where the file system has POSIX permissions.
     * {@code keyFile} may equal {@code certFile}: then the one file holds the certificate, then the key
     * (what {@link PemMaterial#load} reads with no key file).
     *
     * @param certFile where to write the certificate
     * @param keyFile where to write the key; may be {@code certFile}
     * @throws IOException if a file cannot be written
     */
    public void writePem(Path certFile, Path keyFile) throws IOException {
        Objects.requireNonNull(certFile, "certFile");
        Objects.requireNonNull(keyFile, "keyFile");
        if (certFile.toAbsolutePath().normalize().equals(keyFile.toAbsolutePath().normalize())) {
            writePrivately(keyFile, certificatePem() + privateKeyPem());
            return;
        }
        Files.writeString(certFile, certificatePem(), StandardCharsets.US_ASCII);
        writePrivately(keyFile, privateKeyPem());
    }

    /**
     * Writes the certificate as a PEM file, replacing it if it exists, atomically (through a temporary
     * file beside it): a reader sees the old file or the whole new one, never part of it. What
     * {@code curl --cacert FILE} and a trust store take to trust this certificate.
     *
     * @param certFile where to write the certificate
     * @throws IOException if the file cannot be written
     */
    public void writeCertificatePem(Path certFile) throws IOException {
        Objects.requireNonNull(certFile, "certFile");
        Path dir = certFile.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".cert", ".tmp");
        try {
            Files.writeString(tmp, certificatePem(), StandardCharsets.US_ASCII);
            try {
                // a certificate is public: readable by all, as a file made with the usual umask (022) is
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException e) {
                // no POSIX permissions here
            }
            moveInPlace(tmp, certFile);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Writes the private key (unencrypted PKCS#8 PEM) to {@code keyFile}, readable by its owner only
     * where the file system has POSIX permissions, atomically. An existing file is replaced only if it
     * is a regular file that its group and others cannot read: a key is never written where others
     * could read it, nor over a file that may be someone else's.
     *
     * @param keyFile where to write the key
     * @throws IOException if the file cannot be written, or exists and is readable by others
     */
    public void writePrivateKeyPem(Path keyFile) throws IOException {
        Objects.requireNonNull(keyFile, "keyFile");
        if (Files.exists(keyFile, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(keyFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(keyFile + " exists and is not a regular file: not replaced by a private key");
            }
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(keyFile);
                for (PosixFilePermission p : perms) {
                    if (p != PosixFilePermission.OWNER_READ
                            && p != PosixFilePermission.OWNER_WRITE) {
                        throw new IOException(keyFile + " exists and others may read it ("
                                + PosixFilePermissions.toString(perms) + "): not replaced by a private key");
                    }
                }
            } catch (UnsupportedOperationException e) {
                // no POSIX permissions to check
            }
        }
        writePrivately(keyFile, privateKeyPem());
    }

    private static void moveInPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes through a temporary file created owner-only, then moved in place: the key is never world-readable. */
    private static void writePrivately(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, ".key", ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            tmp = Files.createTempFile(dir, ".key", ".tmp");
        }
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            moveInPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /** The subject and fingerprint; never the key. */
    @Override
    public String toString() {
        return "SelfSigned[CN=" + HOST + ", " + key.getAlgorithm() + ", SHA-256 " + sha256Fingerprint() + "]";
    }
}
