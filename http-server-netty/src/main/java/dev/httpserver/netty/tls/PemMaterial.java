package dev.httpserver.netty.tls;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * A server's certificate chain and private key, read from PEM files as Python's
 * {@code SSLContext.load_cert_chain(certfile, keyfile=None, password=None)} reads them.
 *
 * <p>The certificate file holds the server's certificate first, then any intermediate certificates
 * (leaf first, as OpenSSL expects); other PEM blocks in it are skipped. The key may be in any common
 * PEM form:
 * <ul>
 *   <li>PKCS#8, {@code -----BEGIN PRIVATE KEY-----} (RSA or EC; what {@code openssl genpkey} and
 *       OpenSSL 3's {@code openssl req -newkey} write);
 *   <li>encrypted PKCS#8, {@code -----BEGIN ENCRYPTED PRIVATE KEY-----} (PBES2 or the older
 *       PKCS#5/PKCS#12 schemes);
 *   <li>RSA PKCS#1, {@code -----BEGIN RSA PRIVATE KEY-----};
 *   <li>EC SEC1, {@code -----BEGIN EC PRIVATE KEY-----}, with or without a preceding
 *       {@code -----BEGIN EC PARAMETERS-----} block ({@code openssl ecparam -genkey});
 *   <li>either of the last two encrypted the legacy OpenSSL way ({@code Proc-Type: 4,ENCRYPTED} and a
 *       {@code DEK-Info} header).
 * </ul>
 * RSA keys and EC keys on P-256, P-384 or P-521 are supported (what every TLS client accepts); other
 * key types are refused with a clear message.
 *
 * <p>With no key file the key is read from the certificate file, as Python does. A password is used
 * only when the key is encrypted (and ignored otherwise, as Python ignores it); it is never copied
 * into a message, a log or {@link #toString()}, and the caller's array is not modified.
 *
 * <p>Every problem is a {@link TlsConfigException} (an {@link IllegalArgumentException}) whose
 * message names the file and the cause: a missing or unreadable file, no certificate, no key, a
 * wrong password, a password needed but not given, a key that does not belong to the certificate,
 * an unsupported key type.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class PemMaterial {

    private final X509Certificate[] chain;
    private final PrivateKey key;
    private final String source;

    private PemMaterial(X509Certificate[] chain, PrivateKey key, String source) {
        this.chain = chain;
        this.key = key;
        this.source = source;
    }

    /**
     * Python's {@code load_cert_chain(certfile, keyfile, password)}: reads the certificate chain from
     * {@code certfile} and the private key from {@code keyfile}, or from {@code certfile} when
     * {@code keyfile} is null.
     *
     * @return the chain and key, checked to belong together
     * @param certfile a PEM file: the server's certificate, then its intermediates
     * @param keyfile  a PEM file holding the private key, or null when it is in {@code certfile}
     * @param password the key's password, or null; used only if the key is encrypted; not modified
     * @throws TlsConfigException if a file cannot be read, holds no certificate or no key, the password
     *                            is wrong or missing, the key does not match the certificate, or the key
     *                            type is not supported; the message names the file and the cause
     */
    public static PemMaterial load(Path certfile, Path keyfile, char[] password) {
        Objects.requireNonNull(certfile, "certfile");
        List<Object> certBlocks = PemBlocks.readPem(certfile, "certificate file");
        List<X509Certificate> certs = PemBlocks.certificates(certBlocks, certfile);
        if (certs.isEmpty()) {
            throw new TlsConfigException("no certificate found in " + certfile
                    + ": expected a PEM file with a '-----BEGIN CERTIFICATE-----' block"
                    + PemBlocks.derHint(certfile));
        }
        Path keySource = keyfile == null ? certfile : keyfile;
        List<Object> keyBlocks = keyfile == null ? certBlocks : PemBlocks.readPem(keyfile, "key file");
        Object keyBlock = PemBlocks.firstKey(keyBlocks);
        if (keyBlock == null) {
            if (keyfile == null) {
                throw new TlsConfigException("no private key found in " + certfile
                        + ": give the key file too, or append the key ('-----BEGIN PRIVATE KEY-----') to the certificate file");
            }
            throw new TlsConfigException("no private key found in " + keyfile
                    + ": expected a PEM block such as '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----'"
                    + " or '-----BEGIN EC PRIVATE KEY-----'" + PemBlocks.derHint(keyfile));
        }
        boolean encrypted = PemKeys.isEncrypted(keyBlock);
        PrivateKeyInfo info = PemKeys.decrypt(keyBlock, keySource, password);
        String where = "the key in " + keySource;
        KeyChecks.checkKeyType(info.getPrivateKeyAlgorithm(), where);
        PrivateKey key = PemKeys.toPrivateKey(info, encrypted, keySource);
        X509Certificate[] chain = certs.toArray(new X509Certificate[0]);
        String certWhere = "the certificate in " + certfile;
        KeyChecks.checkMatch(key, chain, where, certWhere, certfile.toString());
        return new PemMaterial(chain, key,
                keyfile == null ? certfile.toString() : certfile + " and " + keyfile);
    }

    /**
     * The given key and chain (leaf first), checked as {@link #load} checks them: at least one
     * certificate, a supported key type, and a key that belongs to the first certificate.
     *
     * @param key the server's private key, RSA or EC
     * @param chain the server's certificate, then its intermediates
     * @return the chain and key, checked to belong together
     * @throws TlsConfigException if they cannot be used together
     */
    public static PemMaterial of(PrivateKey key, X509Certificate... chain) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(chain, "chain");
        if (chain.length == 0) {
            throw new TlsConfigException("no certificate given: give the server's certificate, then its intermediates");
        }
        X509Certificate[] copy = chain.clone();
        for (X509Certificate c : copy) {
            Objects.requireNonNull(c, "a certificate of the chain is null");
        }
        PrivateKeyInfo info;
        try {
            info = PrivateKeyInfo.getInstance(key.getEncoded());
        } catch (RuntimeException e) {
            throw new TlsConfigException("the given private key (" + key.getAlgorithm()
                    + ") cannot be encoded as PKCS#8, so it cannot be used for TLS", e);
        }
        if (info == null) {
            throw new TlsConfigException("the given private key (" + key.getAlgorithm()
                    + ") cannot be encoded as PKCS#8, so it cannot be used for TLS");
        }
        KeyChecks.checkKeyType(info.getPrivateKeyAlgorithm(), "the given key");
        KeyChecks.checkMatch(key, copy, "the given key", "the given certificate", "the given chain");
        return new PemMaterial(copy, key, "the given key and certificate");
    }

    /**
     * The certificate chain, the server's certificate first (a copy).
     *
     * @return a copy of the chain, leaf first
     */
    public X509Certificate[] chain() {
        return chain.clone();
    }

    /**
     * The server's own certificate: the first of {@link #chain()}.
     *
     * @return the leaf certificate
     */
    public X509Certificate certificate() {
        return chain[0];
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
     * The key type: {@code RSA} or {@code EC}.
     *
     * @return {@code RSA} or {@code EC}
     */
    public String keyAlgorithm() {
        return key instanceof RSAPrivateKey ? "RSA" : "EC";
    }

    /**
     * The SHA-256 fingerprint of {@link #certificate()} as {@code openssl x509 -fingerprint -sha256}
     * prints it: upper-case hex pairs separated by {@code :}.
     *
     * @return the fingerprint, {@code AB:CD:...} (32 pairs)
     */
    public String sha256Fingerprint() {
        return SelfSigned.sha256Fingerprint(chain[0]);
    }

    /** The subject, key type and source files; never anything secret. */
    @Override
    public String toString() {
        return "PemMaterial[" + chain[0].getSubjectX500Principal().getName(X500Principal.RFC2253) + ", "
                + keyAlgorithm() + " key, " + chain.length + " certificate(s), from " + source + "]";
    }
}
