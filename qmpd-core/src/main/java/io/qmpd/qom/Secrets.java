package io.qmpd.qom;

import com.fasterxml.jackson.databind.JsonNode;
import io.qmpd.io.Errno;
import io.qmpd.io.HostPath;
import io.qmpd.qapi.QmpException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code object-add} of a {@code secret}: the value it holds, loaded and checked as QEMU 7.2's
 * secret does it, with its texts ({@code Either 'file' or 'data' must be provided}, ...): from
 * {@code data} or {@code file}, base64-decoded with {@code format: base64}, and decrypted with
 * AES-256-CBC when {@code keyid} names another secret holding the key.
 */
public final class Secrets {

    private static final int AES_256_KEY = 32;
    private static final int AES_BLOCK = 16;
    private static final String BASE64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private Secrets() {}

    /**
     * The secret's value from its validated properties.
     *
     * @param objects where {@code keyid} is looked up
     * @throws QmpException QEMU's error for properties that make no secret
     */
    public static byte[] load(JsonNode props, ObjectContainer objects) {
        if (props.has("loaded")) {
            throw QmpException.generic("Property 'secret.loaded' is not writable");
        }
        boolean data = props.has("data");
        boolean file = props.has("file");
        if (data && file) {
            throw QmpException.generic("'file' and 'data' are mutually exclusive");
        }
        if (!data && !file) {
            throw QmpException.generic("Either 'file' or 'data' must be provided");
        }
        byte[] input = data
                ? props.get("data").textValue().getBytes(StandardCharsets.UTF_8)
                : read(props.get("file").textValue());
        boolean base64 = "base64".equals(props.path("format").asText("raw"));
        if (props.has("keyid")) {
            byte[] ciphertext = base64 ? decodeBase64(input) : input;
            return decrypt(
                    ciphertext,
                    key(props.get("keyid").textValue(), objects),
                    props.path("iv").textValue());
        }
        return base64 ? decodeBase64(input) : input;
    }

    /** GLib's texts, which QEMU passes on: “curly” quotes around the path. */
    private static byte[] read(String path) {
        try {
            return Files.readAllBytes(HostPath.of(path));
        } catch (NoSuchFileException e) {
            throw QmpException.generic("Unable to read " + path + ": Failed to open file \u201C" + path
                    + "\u201D: No such file or directory");
        } catch (IOException e) {
            String why = Errno.text(e);
            String glib = Files.isDirectory(Path.of(path)) ? "Error reading file" : "Failed to open file";
            throw QmpException.generic("Unable to read " + path + ": " + glib + " \u201C" + path + "\u201D: " + why);
        }
    }

    private static byte[] key(String keyid, ObjectContainer objects) {
        byte[] key = objects.find(keyid)
                .map(UserObject::secret)
                .orElseThrow(() -> QmpException.generic("No secret with id '" + keyid + "'"));
        if (key.length != AES_256_KEY) {
            throw QmpException.generic("Key should be " + AES_256_KEY + " bytes in length");
        }
        return key;
    }

    private static byte[] decrypt(byte[] ciphertext, byte[] key, String ivText) {
        if (ivText == null) {
            throw QmpException.generic("IV is required to decrypt secret");
        }
        byte[] iv = decodeBase64(ivText.getBytes(StandardCharsets.US_ASCII));
        if (iv.length != AES_BLOCK) {
            throw QmpException.generic("IV should be " + AES_BLOCK + " bytes in length not " + iv.length);
        }
        if (ciphertext.length % AES_BLOCK != 0) {
            throw QmpException.generic(
                    "Length " + ciphertext.length + " must be a multiple of block size " + AES_BLOCK);
        }
        byte[] plain;
        try {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
            plain = aes.doFinal(ciphertext);
        } catch (GeneralSecurityException e) {
            throw QmpException.generic("Unable to decrypt secret: " + e.getMessage());
        }
        int padding = plain.length == 0 ? 0 : plain[plain.length - 1] & 0xFF;
        if (padding > plain.length) {
            throw QmpException.generic("Incorrect number of padding bytes (" + padding + ") found on decrypted data");
        }
        return Arrays.copyOf(plain, plain.length - padding);
    }

    /**
     * QEMU's base64: the alphabet, '=' and line feeds only, decoded as GLib does, four
     * characters at a time, a trailing incomplete group giving nothing.
     */
    static byte[] decodeBase64(byte[] text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int bits = 0;
        int count = 0;
        int padding = 0;
        for (byte b : text) {
            if (b == '\n') {
                continue;
            }
            int value = b == '=' ? 0 : BASE64_ALPHABET.indexOf(b);
            if (value < 0) {
                throw QmpException.generic("Base64 data contains invalid characters");
            }
            padding += b == '=' ? 1 : 0;
            bits = bits << 6 | value;
            if (++count == 4) {
                byte[] three = {(byte) (bits >> 16), (byte) (bits >> 8), (byte) bits};
                out.write(three, 0, Math.max(0, 3 - padding));
                bits = 0;
                count = 0;
                padding = 0;
            }
        }
        return out.toByteArray();
    }
}
