package io.cachelens.analysis.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.cachelens.analysis.audit.Finding;
import io.cachelens.analysis.audit.ServiceAudit;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the rendered page in real headless Chromium. Chromium is required: without it the test
 * fails and says how to install it, so a CI image that lost it cannot pass silently.
 */
class AuditHtmlChromiumTest {

  private static final long TIMEOUT_SECONDS = 60;

  @TempDir Path dir;

  @Test
  void chromiumShowsEveryFindingAndTheChartsAndNoInjectedMarkup() throws Exception {
    ServiceAudit audit = SampleAudits.full();
    Path page = writePage(audit);

    String dom = runChromium(page, "--dump-dom");

    assertThat(dom).contains("<h1>checkout</h1>");
    for (Finding finding : audit.findings()) {
      assertThat(dom)
          .contains("data-rule=\"" + finding.rule().name() + "\"")
          .contains(serialized(finding.message()))
          .contains(serialized(finding.recommendation()));
      for (String site : finding.callSites()) {
        assertThat(dom).contains("<code>" + serialized(site) + "</code>");
      }
    }
    assertThat(count(dom, "<svg class=\"chart\"")).isEqualTo(5);
    assertThat(count(dom, "<rect")).isGreaterThan(60);
    // Had the hostile prefix become markup, Chromium would have built these elements.
    assertThat(dom)
        .doesNotContain("<script")
        .doesNotContain("<b id=\"pwned\"")
        .doesNotContain("<img")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;|`x`")
        .contains("&lt;b id=\"pwned\"&gt;");
  }

  @Test
  void chromiumRendersAScreenshotWithContent() throws Exception {
    Path page = writePage(SampleAudits.full());
    Path png = dir.resolve("audit.png");

    runChromium(page, "--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars");

    assertThat(png).exists();
    assertThat(Files.size(png)).isGreaterThan(50_000);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(2000);
    // A blank or failed render has a handful of colours; text, badges and bars have many.
    assertThat(distinctColours(image)).isGreaterThan(50);
  }

  private Path writePage(ServiceAudit audit) throws IOException {
    Path page = dir.resolve("audit.html");
    Files.writeString(page, AuditHtml.render(audit), StandardCharsets.UTF_8);
    return page;
  }

  /**
   * Runs headless Chromium on {@code page} with a fresh profile and returns its standard output.
   */
  private String runChromium(Path page, String... arguments) throws Exception {
    Path profile = Files.createTempDirectory(dir, "chromium-profile-");
    Path stdout = dir.resolve("chromium.out");
    Path stderr = dir.resolve("chromium.err");
    List<String> command = new ArrayList<>();
    command.add(chromium().toString());
    command.addAll(
        List.of(
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            // Containers often have a small /dev/shm, which crashes Chromium's renderer.
            "--disable-dev-shm-usage",
            "--user-data-dir=" + profile));
    command.addAll(List.of(arguments));
    command.add(page.toUri().toString());

    Process chromium =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    if (!chromium.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      // Renderer and GPU processes are children; kill them before they lose their parent.
      chromium.descendants().forEach(ProcessHandle::destroyForcibly);
      chromium.destroyForcibly();
      chromium.waitFor(10, TimeUnit.SECONDS);
      fail(
          "Chromium did not finish within %d s: %s%nstderr:%n%s",
          TIMEOUT_SECONDS, command, Files.readString(stderr));
    }
    assertThat(chromium.exitValue())
        .as("Chromium's exit status for %s%nstderr:%n%s", command, Files.readString(stderr))
        .isZero();
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  private static Path chromium() {
    Path installed = Path.of("/usr/bin/chromium");
    if (Files.isExecutable(installed)) {
      return installed;
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String directory : path.split(File.pathSeparator)) {
      Path candidate = Path.of(directory, "chromium");
      if (!directory.isEmpty() && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return fail(
        "This test needs Chromium to render the HTML report and found none at /usr/bin/chromium"
            + " or on PATH. Install it with `apt-get install chromium` (as root; unattended:"
            + " DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends"
            + " chromium).");
  }

  /** Text as Chromium serializes a text node: {@code &}, {@code <}, {@code >} as entities. */
  private static String serialized(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\u00a0", "&nbsp;");
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
      count++;
    }
    return count;
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
