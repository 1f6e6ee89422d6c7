package dev.httpserver.netty.tls;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.X509TrustedCertificateBlock;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * The PEM files of {@link PemMaterial}: a file read into its certificate and key blocks (as
 * BouncyCastle's objects), the certificates among them, and the first key block. Every problem is a
 * {@link TlsConfigException} naming the file.
 */
final class PemBlocks {

    /** No PEM file of ours is this big: a bigger one is a mistake (a disk image, a log...). */
    private static final long MAX_FILE_SIZE = 16L * 1024 * 1024;

    private static final Set<String> CERTIFICATE_TYPES = Set.of("CERTIFICATE", "X509 CERTIFICATE", "TRUSTED CERTIFICATE");

    private static final Set<String> KEY_TYPES = Set.of("PRIVATE KEY", "ENCRYPTED PRIVATE KEY", "RSA PRIVATE KEY",
            "EC PRIVATE KEY", "DSA PRIVATE KEY");

    private PemBlocks() {
    }

    /**
     * The certificate and key blocks of {@code file} (the {@code what} of messages: "certificate
     * file", "key file"), in order; other blocks are skipped, as OpenSSL skips them.
     */
    static List<Object> readPem(Path file, String what) {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new TlsConfigException("cannot read the " + what + " " + file + ": it is a directory, not a PEM file");
            }
            long size = Files.size(file);
            if (size > MAX_FILE_SIZE) {
                throw new TlsConfigException("cannot read the " + what + " " + file + ": it is " + size
                        + " bytes long, too big to be a PEM file");
            }
            // Latin-1 maps every byte to a char: text around the PEM blocks may be in any encoding.
            text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new TlsConfigException("cannot read the " + what + " " + file + ": no such file", e);
        } catch (AccessDeniedException e) {
            throw new TlsConfigException("cannot read the " + what + " " + file + ": permission denied", e);
        } catch (IOException | SecurityException e) {
            throw new TlsConfigException("cannot read the " + what + " " + file + ": " + e.getMessage(), e);
        }
        List<Object> blocks = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            while (true) {
                PemObject pem;
                try {
                    pem = reader.readPemObject();
                } catch (IOException | RuntimeException e) {
                    throw malformed(file, what, e);
                }
                if (pem == null) {
                    return blocks;
                }
                String type = pem.getType();
                if (CERTIFICATE_TYPES.contains(type) || KEY_TYPES.contains(type)) {
                    blocks.add(parse(pem, file, what));
                } else if (type.endsWith("PRIVATE KEY")) {
                    blocks.add(new OtherKeyBlock(type));
                }
                // other blocks (EC PARAMETERS, PUBLIC KEY, X509 CRL...) are skipped, as OpenSSL skips them
            }
        } catch (IOException e) {
            throw malformed(file, what, e); // from close(): a StringReader does not throw
        }
    }

    /** One block, through BouncyCastle's parser (which knows the encrypted forms and their headers). */
    private static Object parse(PemObject pem, Path file, String what) {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(pem);
        } catch (IOException e) {
            throw malformed(file, what, e); // a StringWriter does not fail
        }
        try (PEMParser parser = new PEMParser(new StringReader(text.toString()))) {
            Object block = parser.readObject();
            if (block == null) {
                throw new IOException("empty block");
            }
            return block;
        } catch (IOException | RuntimeException e) {
            throw new TlsConfigException("the " + what + " " + file + " is not a valid PEM file: its '" + pem.getType()
                    + "' block is damaged (" + e.getMessage() + ")", e);
        }
    }

    private static TlsConfigException malformed(Path file, String what, Exception e) {
        return new TlsConfigException("the " + what + " " + file + " is not a valid PEM file: " + e.getMessage(), e);
    }

    /** A hint for a DER (binary) file, which starts with an ASN.1 SEQUENCE byte. */
    static String derHint(Path file) {
        try (var in = Files.newInputStream(file)) {
            int first = in.read();
            if (first == 0x30) {
                return " (this file looks binary, DER: convert it to PEM, e.g. 'openssl x509 -inform der -in "
                        + file + " -out cert.pem' or 'openssl pkey -inform der -in " + file + " -out key.pem')";
            }
        } catch (IOException | RuntimeException e) {
            // no hint
        }
        return "";
    }

    /** The certificates among {@code blocks} of {@code file}, in order (the server's first, as the file has them). */
    static List<X509Certificate> certificates(List<Object> blocks, Path file) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certs = new ArrayList<>();
        for (Object block : blocks) {
            X509CertificateHolder holder = null;
            if (block instanceof X509CertificateHolder) {
                holder = (X509CertificateHolder) block;
            } else if (block instanceof X509TrustedCertificateBlock) {
                holder = ((X509TrustedCertificateBlock) block).getCertificateHolder();
            }
            if (holder != null) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (CertificateException | RuntimeException e) {
                    throw new TlsConfigException("certificate #" + (certs.size() + 1) + " in " + file
                            + " cannot be read: " + e.getMessage(), e);
                }
            }
        }
        return certs;
    }

    /** The first private key block of {@code blocks}, of any form (an {@link OtherKeyBlock} included), or null. */
    static Object firstKey(List<Object> blocks) {
        for (Object block : blocks) {
            if (block instanceof PrivateKeyInfo || block instanceof PEMKeyPair
                    || block instanceof PKCS8EncryptedPrivateKeyInfo || block instanceof PEMEncryptedKeyPair
                    || block instanceof OtherKeyBlock) {
                return block;
            }
        }
        return null;
    }

    /** A private key block of a kind no TLS engine reads (an OpenSSH key...): reported if it is the key found. */
    record OtherKeyBlock(String type) {
    }
}
