package dev.httpserver.netty.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.Provider;
import javax.crypto.NoSuchPaddingException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The private key forms of {@link PemMaterial}: PKCS#8, encrypted PKCS#8, RSA PKCS#1 and EC SEC1
 * (plain or encrypted the legacy OpenSSL way) decoded, and decrypted with the password, into a
 * JCA {@link PrivateKey}. A wrong or missing password, an unsupported cipher and a block of another
 * kind are each a {@link TlsConfigException} naming the file; the password never is in a message.
 */
final class PemKeys {

    private PemKeys() {
    }

    /** Whether {@code block} (from {@link PemBlocks#firstKey}) is an encrypted key. */
    static boolean isEncrypted(Object block) {
        return block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair;
    }

    /**
     * The PKCS#8 form of the key {@code block} of {@code file}, decrypted with {@code password} when it
     * is encrypted.
     */
    static PrivateKeyInfo decrypt(Object block, Path file, char[] password) {
        if (block instanceof PemBlocks.OtherKeyBlock) {
            String type = ((PemBlocks.OtherKeyBlock) block).type();
            if (type.equals("OPENSSH PRIVATE KEY")) {
                throw new TlsConfigException("the key in " + file + " is in OpenSSH's own format, which TLS does not use:"
                        + " convert it to PKCS#8, e.g. 'ssh-keygen -p -m PKCS8 -f " + file + "' (this rewrites the file)");
            }
            throw new TlsConfigException("the key in " + file + " is a '" + type + "' block, which is not supported: "
                    + KeyChecks.SUPPORTED + ", in PEM ('-----BEGIN PRIVATE KEY-----')");
        }
        if (block instanceof PrivateKeyInfo) {
            return (PrivateKeyInfo) block;
        }
        if (block instanceof PEMKeyPair) {
            try {
                PrivateKeyInfo info = ((PEMKeyPair) block).getPrivateKeyInfo();
                if (info == null) {
                    throw new TlsConfigException("cannot read the private key in " + file + ": the key block is empty");
                }
                return info;
            } catch (RuntimeException e) {
                if (e instanceof TlsConfigException) {
                    throw e;
                }
                throw new TlsConfigException("cannot read the private key in " + file + ": " + e.getMessage(), e);
            }
        }
        if (password == null) {
            throw new TlsConfigException("the private key in " + file
                    + " is encrypted and no password was given: give its password");
        }
        try {
            PrivateKeyInfo info;
            if (block instanceof PKCS8EncryptedPrivateKeyInfo) {
                info = ((PKCS8EncryptedPrivateKeyInfo) block).decryptPrivateKeyInfo(
                        new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
            } else {
                PEMKeyPair pair = ((PEMEncryptedKeyPair) block).decryptKeyPair(
                        new JcePEMDecryptorProviderBuilder().setProvider(Bc.PROVIDER).build(password));
                info = pair.getPrivateKeyInfo();
            }
            if (info == null) {
                throw wrongPassword(file, null);
            }
            return info;
        } catch (TlsConfigException e) {
            throw e;
        } catch (Exception e) {
            // BouncyCastle reports a wrong password in many ways: a bad padding, an ASN.1 error in the
            // garbage it decrypted, a PEMException... Only a missing algorithm is something else.
            if (unsupportedCipher(e)) {
                throw new TlsConfigException("the private key in " + file
                        + " is encrypted with a cipher this Java runtime does not support (" + rootMessage(e)
                        + "): re-encrypt it, e.g. 'openssl pkcs8 -topk8 -v2 aes-256-cbc -in OLD -out NEW'", e);
            }
            throw wrongPassword(file, e);
        }
    }

    private static TlsConfigException wrongPassword(Path file, Exception cause) {
        // The cause's message is only BouncyCastle's ("pad block corrupted"...), never the password.
        return new TlsConfigException("wrong password for the key in " + file
                + ": the key could not be decrypted with the password given", cause);
    }

    private static boolean unsupportedCipher(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchAlgorithmException || t instanceof NoSuchPaddingException
                    || t instanceof OperatorCreationException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.startsWith("unknown encryption") || m.contains("not available"))) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /**
     * The JCA key of {@code info}, read from {@code file}; a failure is a wrong password when the key was
     * {@code encrypted} (the decrypted bytes were garbage), a damaged key otherwise.
     */
    static PrivateKey toPrivateKey(PrivateKeyInfo info, boolean encrypted, Path file) {
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (IOException | RuntimeException e) {
            if (encrypted) {
                throw wrongPassword(file, e);
            }
            throw new TlsConfigException("cannot read the private key in " + file + ": " + e.getMessage(), e);
        }
    }

    /** BouncyCastle as a provider object, for the ciphers of encrypted keys; never installed globally. */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }
}
