package dev.switchboard.tls.internal.pem;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Reads certificate chains, private keys and trust bundles from PEM and PKCS#12 files. Every failure is a
 * {@link CertificateFileException} naming the file and the problem. Stateless.
 */
public final class CertificateFiles {

    /** A private key with its certificate chain, leaf first. */
    public record Material(PrivateKey key, List<X509Certificate> chain) {
    }

    private CertificateFiles() {
    }

    /** The certificates of a PEM file, in file order; at least one. */
    public static List<X509Certificate> readCertificates(Path file) {
        List<Pem.Block> blocks = blocks(file);
        List<X509Certificate> certificates = new ArrayList<>();
        int n = 0;
        for (Pem.Block block : blocks) {
            if (block.label().equals("CERTIFICATE")) {
                n++;
                certificates.add(parseCertificate(file, block, n));
            }
        }
        if (certificates.isEmpty()) {
            throw new CertificateFileException(file.toString(), "no CERTIFICATE block (found: "
                    + labels(blocks) + ")", null);
        }
        return List.copyOf(certificates);
    }

    /** The one private key of a PEM file. */
    public static PrivateKey readPrivateKey(Path file) {
        List<Pem.Block> keys = new ArrayList<>();
        List<Pem.Block> blocks = blocks(file);
        for (Pem.Block block : blocks) {
            if (PrivateKeys.isPrivateKeyLabel(block.label())) {
                keys.add(block);
            }
        }
        if (keys.isEmpty()) {
            throw new CertificateFileException(file.toString(), "no private key block (expected: PRIVATE KEY,"
                    + " RSA PRIVATE KEY or EC PRIVATE KEY; found: " + labels(blocks) + ")", null);
        }
        if (keys.size() > 1) {
            throw new CertificateFileException(file.toString(), keys.size()
                    + " private keys (lines " + keys.get(0).line() + " and " + keys.get(1).line() + "); expected one",
                    null);
        }
        try {
            return PrivateKeys.decode(keys.get(0));
        } catch (IllegalArgumentException e) {
            throw new CertificateFileException(file.toString(), e.getMessage(), e);
        }
    }

    /**
     * The key entry of a PKCS#12 file: the one named {@code alias}, or, when {@code alias} is empty, the only one.
     */
    public static Material readPkcs12(Path file, char[] password, String alias) {
        byte[] bytes = readBytes(file);
        KeyStore store;
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(bytes), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new CertificateFileException(file.toString(), "wrong password (or a damaged PKCS#12 file)", e);
            }
            throw new CertificateFileException(file.toString(), "not a readable PKCS#12 file: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new CertificateFileException(file.toString(), "not a readable PKCS#12 file: " + e.getMessage(), e);
        }
        String chosen = chooseAlias(file, store, alias);
        try {
            PrivateKey key = (PrivateKey) store.getKey(chosen, password);
            Certificate[] chain = store.getCertificateChain(chosen);
            if (chain == null || chain.length == 0) {
                throw new CertificateFileException(file.toString(), "entry '" + chosen + "' has no certificate", null);
            }
            List<X509Certificate> x509 = new ArrayList<>();
            for (Certificate c : chain) {
                x509.add((X509Certificate) c);
            }
            return new Material(key, List.copyOf(x509));
        } catch (UnrecoverableKeyException e) {
            throw new CertificateFileException(file.toString(), "wrong password for the key of entry '" + chosen
                    + "' (it differs from the file's password)", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateFileException(file.toString(), "cannot read entry '" + chosen + "': "
                    + e.getMessage(), e);
        }
    }

    private static String chooseAlias(Path file, KeyStore store, String alias) {
        List<String> keyAliases = new ArrayList<>();
        try {
            for (String a : Collections.list(store.aliases())) {
                if (store.isKeyEntry(a)) {
                    keyAliases.add(a);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new CertificateFileException(file.toString(), "cannot list entries: " + e.getMessage(), e);
        }
        if (!alias.isEmpty()) {
            if (!keyAliases.contains(alias)) {
                throw new CertificateFileException(file.toString(), "no key entry named '" + alias + "' (found: "
                        + keyAliases + ")", null);
            }
            return alias;
        }
        if (keyAliases.size() != 1) {
            throw new CertificateFileException(file.toString(), keyAliases.size() + " key entries " + keyAliases
                    + "; expected exactly one, or name one with an alias", null);
        }
        return keyAliases.get(0);
    }

    private static X509Certificate parseCertificate(Path file, Pem.Block block, int n) {
        try (InputStream in = new ByteArrayInputStream(block.der())) {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            return (X509Certificate) factory.generateCertificate(in);
        } catch (GeneralSecurityException | IOException e) {
            throw new CertificateFileException(file.toString(), "certificate " + n + " (line " + block.line()
                    + ") is not a valid X.509 certificate: " + e.getMessage(), e);
        }
    }

    private static List<Pem.Block> blocks(Path file) {
        String text = new String(readBytes(file), StandardCharsets.ISO_8859_1);
        List<Pem.Block> blocks;
        try {
            blocks = Pem.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CertificateFileException(file.toString(), e.getMessage(), e);
        }
        if (blocks.isEmpty()) {
            throw new CertificateFileException(file.toString(), "no PEM block found (is it DER or PKCS#12?"
                    + " For .p12/.pfx files use TlsCertificate.fromPkcs12)", null);
        }
        return blocks;
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new CertificateFileException(file.toString(), "cannot read the file: it does not exist", e);
        } catch (AccessDeniedException e) {
            throw new CertificateFileException(file.toString(), "cannot read the file: permission denied", e);
        } catch (IOException e) {
            throw new CertificateFileException(file.toString(), "cannot read the file: " + e, e);
        }
    }

    private static String labels(List<Pem.Block> blocks) {
        List<String> labels = new ArrayList<>();
        for (Pem.Block b : blocks) {
            labels.add(b.label());
        }
        return String.join(", ", labels);
    }
}
