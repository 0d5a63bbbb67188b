package io.stateweave.testinfra.kafka;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, for error messages that show why a process failed. */
final class LogTail {

    // enough for a stack trace; bounded so that a huge log does not flood the error message
    private static final int MAX_BYTES = 64 * 1024;

    private LogTail() {}

    static String of(Path file, int lines) {
        if (lines < 1) {
            throw new IllegalArgumentException("lines must be positive, was " + lines);
        }
        if (!Files.isRegularFile(file)) {
            return "(no log: " + file + " does not exist)";
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            int size = (int) Math.min(length, MAX_BYTES);
            byte[] bytes = new byte[size];
            in.seek(length - size);
            in.readFully(bytes);
            // decoding replaces broken characters at the cut instead of failing
            List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return String.join("\n", last);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
