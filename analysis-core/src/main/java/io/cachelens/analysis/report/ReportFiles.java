package io.cachelens.analysis.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes report files so that readers never see a partial one. */
public final class ReportFiles {
  private ReportFiles() {}

  /**
   * Writes {@code content} as UTF-8 to {@code file}, replacing it atomically: the text goes to a
   * temporary file in the same directory, which is then moved over {@code file}. Creates the
   * directory when missing. Where the file system cannot move atomically, falls back to a plain
   * replacing move.
   *
   * @throws UncheckedIOException when the directory or file cannot be written; no temporary file is
   *     left behind
   */
  public static void writeAtomically(Path file, String content) {
    byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
    Path target = file.toAbsolutePath();
    Path directory = target.getParent();
    Path temporary = null;
    try {
      Files.createDirectories(directory);
      temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
      Files.write(temporary, bytes);
      readableByAll(temporary);
      try {
        Files.move(
            temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
      temporary = null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    } finally {
      deleteQuietly(temporary);
    }
  }

  // Temporary files start as owner-only; reports are meant to be read by whoever runs the service.
  private static void readableByAll(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: its default permissions apply.
    }
  }

  private static void deleteQuietly(Path temporary) {
    if (temporary == null) {
      return;
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // The write already failed; that failure is the one worth reporting.
    }
  }
}
