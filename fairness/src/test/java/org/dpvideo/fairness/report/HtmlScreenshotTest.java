package org.dpvideo.fairness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium (Debian {@code chromium}) and checks that the charts and
 * sample images rendered: every chart has a size in the laid-out page and its region of the screenshot
 * holds drawn (non-white) and coloured pixels; every sample GIF decoded.
 *
 * <p>Skips locally when Chromium is missing (install it with {@code apt-get install chromium}); fails in
 * CI ({@code DPVIDEO_REQUIRE_FIXTURES=1}), like a missing fixture. The screenshot is kept at
 * {@code fairness/target/report-screenshot.png} for a person to look at.
 */
class HtmlScreenshotTest {
  static final int WIDTH = 1400;

  @TempDir
  Path dir;

  @Test
  void htmlReport_inHeadlessChromium_rendersEveryChartAndSample() throws Exception {
    Path chromium = requireChromium();
    RunDirectory run = new RunDirectory(dir.resolve("run"));
    run.writeReportData(SampleRunReport.build(run.path()));
    Path html = run.writeReports(EnumSet.of(ReportFormat.HTML), ReleaseScope.INTERNAL).get(0);
    String page = Files.readString(html);
    int svgCount = (int) Pattern.compile("<svg class=\"chart\"").matcher(page).results().count();

    // 1. Layout: a probe copy of the page (in the run directory, so relative paths agree) reports the
    //    box of every chart and sample after load. The released page itself has no script.
    String probe = page.replace("</body>", "<pre id=\"layout\"></pre><script>window.addEventListener('load',"
        + "function(){var out={height:document.documentElement.scrollHeight,charts:[],images:[]};"
        + "document.querySelectorAll('svg.chart').forEach(function(e){var r=e.getBoundingClientRect();"
        + "out.charts.push([r.left+scrollX,r.top+scrollY,r.width,r.height]);});"
        + "document.querySelectorAll('img.sample').forEach(function(e){out.images.push([e.naturalWidth,"
        + "e.naturalHeight,e.complete?1:0]);});"
        + "document.getElementById('layout').textContent='LAYOUT'+JSON.stringify(out)+'END';});</script></body>");
    Path probeFile = run.path().resolve("probe.html");
    Files.writeString(probeFile, probe);
    String dom = runChromium(chromium, List.of("--dump-dom", "--window-size=" + WIDTH + ",1000",
        probeFile.toUri().toString()));
    Matcher m = Pattern.compile("LAYOUT(.*?)END", Pattern.DOTALL).matcher(dom);
    assertTrue(m.find(), "the probe did not report a layout; dump was: " + dom.substring(0, Math.min(500,
        dom.length())));
    JsonNode layout = new ObjectMapper().readTree(m.group(1));
    int height = Math.min(layout.get("height").asInt(), 16000);
    JsonNode charts = layout.get("charts");
    assertEquals(svgCount, charts.size(), "every chart is in the DOM");
    for (JsonNode img : layout.get("images")) {
      assertTrue(img.get(0).asInt() > 0 && img.get(2).asInt() == 1, "every sample GIF decodes: " + img);
    }

    // 2. Screenshot of the real page at the full height; each chart region must be drawn.
    Path shot = dir.resolve("report.png");
    runChromium(chromium, List.of("--screenshot=" + shot, "--window-size=" + WIDTH + "," + height,
        "--hide-scrollbars", html.toUri().toString()));
    BufferedImage img = ImageIO.read(shot.toFile());
    Assertions.assertNotNull(img, "Chromium wrote no readable PNG");
    Path keep = Path.of("target", "report-screenshot.png");
    Files.createDirectories(keep.getParent());
    Files.copy(shot, keep, StandardCopyOption.REPLACE_EXISTING);
    int checked = 0;
    List<String> blank = new ArrayList<>();
    for (JsonNode c : charts) {
      int x = (int) c.get(0).asDouble();
      int y = (int) c.get(1).asDouble();
      int w = (int) c.get(2).asDouble();
      int h = (int) c.get(3).asDouble();
      assertTrue(w > 100 && h > 100, "chart box has a size: " + c);
      if (y + h > img.getHeight() || x + w > img.getWidth()) {
        continue;
      }
      int drawn = 0;
      int coloured = 0;
      for (int yy = y + 2; yy < y + h - 2; yy++) {
        for (int xx = x + 2; xx < x + w - 2; xx++) {
          int rgb = img.getRGB(xx, yy);
          int r = (rgb >> 16) & 0xff;
          int g = (rgb >> 8) & 0xff;
          int b = rgb & 0xff;
          if (r < 235 || g < 235 || b < 235) {
            drawn++;
          }
          if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
            coloured++;
          }
        }
      }
      double area = (double) (w - 4) * (h - 4);
      if (drawn < 0.01 * area || coloured < 40) {
        blank.add(c + " drawn=" + drawn + " coloured=" + coloured);
      }
      checked++;
    }
    assertTrue(blank.isEmpty(), "chart regions without a rendered chart: " + blank);
    assertTrue(checked >= 10, "checked " + checked + " of " + charts.size() + " charts (page height " + height + ")");
  }

  static Path requireChromium() {
    String env = System.getenv("DPVIDEO_CHROMIUM");
    List<String> candidates = new ArrayList<>();
    if (env != null && !env.isBlank()) {
      candidates.add(env);
    }
    for (String dirName : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      candidates.add(dirName + "/chromium");
      candidates.add(dirName + "/chromium-browser");
    }
    for (String c : candidates) {
      Path p = Path.of(c);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String msg = "headless Chromium is missing; install it with: apt-get install chromium (listed in"
        + " .ci/apt-packages.txt), or set DPVIDEO_CHROMIUM to its path";
    if ("1".equals(System.getenv("DPVIDEO_REQUIRE_FIXTURES"))) {
      Assertions.fail(msg);
    }
    Assumptions.abort(msg);
    return null;
  }

  String runChromium(Path chromium, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
    cmd.addAll(args);
    Path out = Files.createTempFile(dir, "chromium", ".out");
    Path err = Files.createTempFile(dir, "chromium", ".err");
    Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      Assertions.fail("Chromium did not finish in 120 s: " + cmd);
    }
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      Assertions.fail("Chromium exited with " + p.exitValue() + ": " + Files.readString(err));
    }
    return stdout;
  }
}
