package org.dpvideo.finetune.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dpvideo.tokenizer.dataset.DatasetInspection;
import org.dpvideo.tokenizer.dataset.DatasetInspector;
import org.dpvideo.tokenizer.dataset.FluentEmojiFetcher;
import org.dpvideo.tokenizer.dataset.Manifest;
import org.dpvideo.tokenizer.dataset.ManifestCheck;
import org.dpvideo.tokenizer.dataset.ManifestOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dpvideo data ...}: fetch public data sets and inspect manifests. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Fetch public video data and inspect manifests.",
    subcommands = {DataCommand.Fetch.class, DataCommand.Inspect.class})
public final class DataCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static ObjectMapper json() {
    return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  /** {@code dpvideo data fetch fluent-emoji}. */
  @Command(name = "fetch", mixinStandardHelpOptions = true, description = {
      "Fetch a public data set and write its manifest.",
      "fluent-emoji: the animated Fluent Emoji stickers (MIT, npm packages @lobehub/fluent-emoji-anim-1..4,"
          + " about 180 MB each) and the 3-D stills (@lobehub/fluent-emoji-3d), fetched with npm pack and"
          + " integrity-checked. Writes DIR/manifest.csv (animated) and DIR/stills.csv. Skin-tone modifiers"
          + " stand in for demographic groups (group:skin_tone); toned emoji are marked private."})
  static final class Fetch implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The data set: fluent-emoji.")
    String source;

    @Option(names = "--parts", split = ",", paramLabel = "N", defaultValue = "1,2,3,4",
        description = "Animated parts to fetch, from 1,2,3,4 (default: all).")
    List<Integer> parts;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "data/fluent-emoji",
        description = "Where to put the files and manifests (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--no-stills", description = "Do not fetch the 3-D still images.")
    boolean noStills;

    @Override
    public Integer call() throws Exception {
      if (!"fluent-emoji".equals(source)) {
        throw new IllegalArgumentException("unknown data set '" + source + "'; the only one is fluent-emoji.");
      }
      Set<Integer> p = new LinkedHashSet<>(parts);
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      FluentEmojiFetcher.FetchResult r = FluentEmojiFetcher.fetch(dir, p, !noStills, line -> {
        err.println(line);
        err.flush();
      });
      out.println("animated stickers: " + r.animatedRows() + " rows in " + r.manifest());
      out.println("  per group:skin_tone: " + r.rowsPerTone());
      if (r.stillsManifest() != null) {
        out.println("still images: " + r.stillRows() + " rows in " + r.stillsManifest());
      }
      out.println("Toned emoji are marked private (one subject each); untoned ones public. Skin-tone"
          + " modifiers stand in for demographic groups.");
      return 0;
    }
  }

  /** {@code dpvideo data inspect MANIFEST}. */
  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Counts per split, provenance and group, frame statistics, and a"
      + " contact-sheet PNG of sample frames.")
  static final class Inspect implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MANIFEST", description = "The manifest CSV.")
    Path manifest;

    @Option(names = "--skip-bad", description = "Skip bad rows (their number is reported) instead of failing.")
    boolean skipBad;

    @Option(names = "--probe", paramLabel = "N", defaultValue = "200",
        description = "Decode at most N files (spread over the manifest) for frame statistics (default: ${DEFAULT-VALUE}).")
    int probe;

    @Option(names = "--contact-sheet", paramLabel = "PNG",
        description = "Where to write the contact sheet (default: next to the manifest, NAME.contact.png).")
    Path sheet;

    @Option(names = "--tiles", paramLabel = "N", defaultValue = "64", description = "Tiles on the contact sheet.")
    int tiles;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (probe < 0 || tiles < 2) {
        throw new IllegalArgumentException("--probe must be >= 0 and --tiles >= 2, got " + probe + " and " + tiles + ".");
      }
      Manifest m = Manifest.load(manifest, new ManifestOptions(ManifestCheck.FILES, skipBad, false));
      Path png = sheet != null ? sheet : manifest.toAbsolutePath().resolveSibling(
          manifest.getFileName().toString().replaceFirst("\\.csv$", "") + ".contact.png");
      DatasetInspection r = DatasetInspector.inspect(m, probe, png, tiles);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(json().writeValueAsString(r));
        return 0;
      }
      out.printf("manifest %s: %d rows%s, %d subjects%n", r.manifest(), r.rows(),
          r.skippedRows() > 0 ? " (" + r.skippedRows() + " bad rows skipped)" : "", r.subjects());
      out.println("  per split: " + r.perSplit());
      out.println("  per provenance: " + r.perProvenance());
      for (Map.Entry<String, Map<String, Long>> g : r.perGroup().entrySet()) {
        out.println("  per group:" + g.getKey() + ": " + g.getValue());
      }
      out.printf("  frames (%d files decoded): min %.0f, median %.0f, max %.0f%n", r.probed(), r.frames().min(),
          r.frames().median(), r.frames().max());
      out.printf("  duration s: min %.2f, median %.2f, max %.2f%n", r.durationSeconds().min(),
          r.durationSeconds().median(), r.durationSeconds().max());
      out.printf("  size: width %.0f..%.0f, height %.0f..%.0f; %d with transparency%n", r.widths().min(),
          r.widths().max(), r.heights().min(), r.heights().max(), r.withTransparency());
      if (!r.undecodable().isEmpty()) {
        out.println("  undecodable (" + r.undecodable().size() + "):");
        r.undecodable().forEach(p -> out.println("    " + p));
      }
      out.println("  contact sheet: " + r.contactSheet());
      return r.undecodable().isEmpty() ? 0 : 1;
    }
  }
}
