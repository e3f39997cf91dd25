package io.cachelens.agent.cli;

import io.cachelens.analysis.audit.ServiceAudit;
import io.cachelens.analysis.fleet.FleetAudit;
import io.cachelens.analysis.fleet.FleetHtml;
import io.cachelens.analysis.fleet.FleetJson;
import io.cachelens.analysis.fleet.FleetMarkdown;
import io.cachelens.analysis.json.JsonReader;
import io.cachelens.analysis.report.AuditJsonReader;
import io.cachelens.analysis.report.ReportFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code audit merge <dir-or-file>... [--out <dir>]}: merges the JSON audits that instances wrote
 * into one fleet report, {@code fleet.json}, {@code fleet.md} and {@code fleet.html}.
 */
final class AuditMergeCommand {

  static final String USAGE =
      """
      usage: java -jar cachelens-agent.jar audit merge <dir-or-file>... [--out <dir>]
        Merges the JSON audits written by service instances (schema cachelens.audit/v1 or
        cachelens.summary/v1) into one fleet report: fleet.json, fleet.md and fleet.html.
        <dir-or-file>  a directory whose *.json files are read (not its subdirectories),
                       or one JSON file
        --out <dir>    where to write the report (default: ./cachelens-fleet)
      Exit codes: 0 report written, 1 no audit could be read or the report could not be
      written, 2 usage error.
      """;

  static final Path DEFAULT_OUT = Path.of("cachelens-fleet");

  private final PrintStream out;
  private final PrintStream err;

  private AuditMergeCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  /** Runs the command on the arguments after {@code audit merge}; returns the exit code. */
  static int run(List<String> args, PrintStream out, PrintStream err) {
    return new AuditMergeCommand(out, err).run(args);
  }

  private int run(List<String> args) {
    List<Path> inputs = new ArrayList<>();
    Path outDirectory = DEFAULT_OUT;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--help") || arg.equals("-h")) {
        out.print(USAGE);
        return 0;
      } else if (arg.equals("--out")) {
        if (i + 1 == args.size()) {
          return usageError("--out needs a directory");
        }
        outDirectory = Path.of(args.get(++i));
      } else if (arg.startsWith("--out=")) {
        outDirectory = Path.of(arg.substring("--out=".length()));
      } else if (arg.startsWith("-")) {
        return usageError("unknown option: " + arg);
      } else {
        inputs.add(Path.of(arg));
      }
    }
    if (inputs.isEmpty()) {
      return usageError("no audit directory or file given");
    }

    List<ServiceAudit> audits = new ArrayList<>();
    for (Path file : jsonFiles(inputs)) {
      ServiceAudit audit = read(file);
      if (audit != null) {
        audits.add(audit);
      }
    }
    if (audits.isEmpty()) {
      err.println("no audit could be read from " + inputs);
      return 1;
    }
    return write(FleetAudit.merge(audits), outDirectory);
  }

  private int usageError(String problem) {
    err.println(problem);
    err.print(USAGE);
    return 2;
  }

  /** The JSON files to read: each directory's, by name, then each named file; none twice. */
  private Set<Path> jsonFiles(List<Path> inputs) {
    Set<Path> files = new LinkedHashSet<>();
    for (Path input : inputs) {
      if (Files.isDirectory(input)) {
        try (Stream<Path> entries = Files.list(input)) {
          entries
              .filter(entry -> entry.getFileName().toString().endsWith(".json"))
              .filter(Files::isRegularFile)
              .sorted()
              .forEach(entry -> files.add(entry.toAbsolutePath().normalize()));
        } catch (IOException | UncheckedIOException e) {
          err.println("cannot read " + input + ": " + e.getMessage());
        }
      } else if (Files.isRegularFile(input)) {
        files.add(input.toAbsolutePath().normalize());
      } else {
        err.println("cannot read " + input + ": no such file or directory");
      }
    }
    return files;
  }

  /** The audit in {@code file}, or null after saying on stderr why it was skipped. */
  private ServiceAudit read(Path file) {
    Object document;
    try {
      document = JsonReader.parse(Files.readString(file));
    } catch (MalformedInputException e) {
      err.println("cannot read " + file + ": not UTF-8 text");
      return null;
    } catch (IOException e) {
      err.println("cannot read " + file + ": " + e);
      return null;
    } catch (IllegalArgumentException e) {
      err.println("cannot read " + file + ": " + e.getMessage());
      return null;
    }
    Object schema = document instanceof Map<?, ?> object ? object.get("schema") : null;
    if (!AuditJsonReader.readsSchema(schema)) {
      String found =
          schema == null
              ? "no schema"
              : "schema " + (schema instanceof String name ? '"' + name + '"' : schema);
      err.println("skipped " + file + ": not a CacheLens audit (" + found + ")");
      return null;
    }
    try {
      @SuppressWarnings("unchecked") // JsonReader's objects are maps of String to value
      Map<String, Object> audit = (Map<String, Object>) document;
      return AuditJsonReader.read(audit);
    } catch (IllegalArgumentException e) {
      err.println("cannot read " + file + ": " + e.getMessage());
      return null;
    }
  }

  private int write(FleetAudit fleet, Path directory) {
    Path json = directory.resolve("fleet.json").toAbsolutePath();
    Path markdown = directory.resolve("fleet.md").toAbsolutePath();
    Path html = directory.resolve("fleet.html").toAbsolutePath();
    try {
      ReportFiles.writeAtomically(json, FleetJson.toJson(fleet));
      ReportFiles.writeAtomically(markdown, FleetMarkdown.toMarkdown(fleet));
      ReportFiles.writeAtomically(html, FleetHtml.toHtml(fleet));
    } catch (UncheckedIOException e) {
      err.println(e.getMessage() + ": " + e.getCause());
      return 1;
    }
    out.println("wrote " + json);
    out.println("wrote " + markdown);
    out.println("wrote " + html);
    out.println(fleet.headline());
    return 0;
  }
}
