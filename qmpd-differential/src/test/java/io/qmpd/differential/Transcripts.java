package io.qmpd.differential;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Normalizes a transcript: event timestamps, the version triple and the package string are the
 * only parts that may differ between QEMU and qmpd; the server's private directory (in chardev
 * filenames) is replaced by {@code DIR}.
 */
final class Transcripts {

    private static final Pattern TIMESTAMP =
            Pattern.compile("\"timestamp\": \\{\"seconds\": \\d+, \"microseconds\": \\d+\\}");
    private static final Pattern TRIPLE =
            Pattern.compile("\"qemu\": \\{\"micro\": \\d+, \"minor\": \\d+, \"major\": \\d+\\}");
    private static final Pattern PACKAGE = Pattern.compile("\"package\": \"(?:[^\"\\\\]|\\\\.)*\"");

    private Transcripts() {}

    static String normalize(byte[] transcript, Path dir) {
        String s = new String(transcript, StandardCharsets.ISO_8859_1);
        s = TIMESTAMP.matcher(s).replaceAll("\"timestamp\": T");
        s = TRIPLE.matcher(s).replaceAll("\"qemu\": V");
        s = PACKAGE.matcher(s).replaceAll("\"package\": P");
        return s.replace(dir.toString(), "DIR");
    }
}
