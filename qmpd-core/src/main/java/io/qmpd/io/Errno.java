package io.qmpd.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.FileSystemException;

/**
 * The C library's {@code strerror} text for an I/O failure, which is how QEMU ends its error
 * messages ({@code Could not open 'x': No such file or directory}). The JDK carries that text in
 * different places depending on the API that failed; this is the one place that finds it.
 */
public final class Errno {

    private Errno() {}

    public static String text(IOException e) {
        if (e instanceof FileSystemException fse) {
            // java.nio.file: the reason is strerror's text ("Is a directory"), the message adds paths
            if (fse.getReason() != null) {
                return fse.getReason();
            }
            return switch (fse.getClass().getSimpleName()) {
                case "NoSuchFileException" -> "No such file or directory";
                case "AccessDeniedException" -> "Permission denied";
                case "FileAlreadyExistsException" -> "File exists";
                case "NotDirectoryException" -> "Not a directory";
                case "DirectoryNotEmptyException" -> "Directory not empty";
                default -> String.valueOf(fse.getMessage());
            };
        }
        String message = String.valueOf(e.getMessage());
        if (e instanceof FileNotFoundException && message.endsWith(")")) {
            // java.io: "path (strerror)"
            int open = message.lastIndexOf(" (");
            if (open >= 0) {
                return message.substring(open + 2, message.length() - 1);
            }
        }
        if (e instanceof ConnectException && !message.contains(" ")) {
            return "Connection refused";
        }
        // sockets: the message is strerror's text, sometimes with a prefix before a colon
        int colon = message.lastIndexOf(": ");
        return colon >= 0 ? message.substring(colon + 2) : message;
    }
}
