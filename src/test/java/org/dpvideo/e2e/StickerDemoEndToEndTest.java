package org.dpvideo.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.finetune.demo.DemoSettings;
import org.dpvideo.finetune.demo.DrawnStickers;
import org.dpvideo.finetune.demo.StickerDataset;
import org.dpvideo.finetune.demo.StickerDemo;
import org.dpvideo.finetune.model.FineTuneMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo pipeline end to end, offline, on stickers drawn in Java with tiny step counts: tokenizer on
 * public stickers, a pretrained public base, a DPSGD-Global-Adapt fine-tune at epsilon 8 recorded in a
 * ledger, per-tone NLL, samples and the report files.
 */
class StickerDemoEndToEndTest {
  @TempDir
  Path dir;

  @Test
  void quickDemo_onDrawnStickers_writesTheRunDirectoryWithAccountedEpsilonAndAReport() throws Exception {
    Path data = dir.resolve("stickers");
    DrawnStickers.write(data, line -> { });
    DemoSettings quick = DemoSettings.quick(dir);
    StickerDataset.Settings d = quick.data();
    StickerDataset.Settings small = new StickerDataset.Settings(data, dir.resolve("runs/.cache"), d.parts(), 40, 10,
        16, 24, d.vq(), d.underrepresentedTone(), d.underrepresentedKeep(), d.filter(), 2);
    // A 2-block model of width 32, 6 pretraining and 6 private steps with an expected batch of 8 subjects.
    DemoSettings s = new DemoSettings(true, small, dir.resolve("runs"), 2, 32, 2, 6, 4, 8.0, 8, 6, 3e-3,
        FineTuneMode.defaultPrivate(), 1, 1);
    Path ledger = dir.resolve("ledger.db");
    StringWriter out = new StringWriter();
    StickerDemo.Result r = StickerDemo.run(s, LedgerLocation.parse(ledger.toString()), "e2e", new PrintWriter(out,
        true), new PrintStream(java.io.OutputStream.nullOutputStream()));

    assertEquals(8.0, r.epsilonPerRun(), 0.05, "sigma is calibrated for epsilon 8 at delta 1/N^1.1");
    assertTrue(Double.isFinite(r.baseNll()) && r.fineTunedNll().length == 1);
    for (String f : new String[] {"metrics.json", "report-data.json", "report.html", "report.md", "model.dpvlm"}) {
      assertTrue(Files.isRegularFile(r.runDir().resolve(f)), f + " is missing in " + r.runDir());
    }
    JsonNode m = new ObjectMapper().readTree(r.runDir().resolve("metrics.json").toFile());
    assertTrue(m.path("stickers_drawn_in_java").asBoolean());
    assertEquals("subject", m.path("privacy_unit").asText());
    try (Stream<Path> gifs = Files.walk(r.runDir().resolve("samples"))) {
      assertTrue(gifs.anyMatch(p -> p.toString().endsWith(".gif")), "no sample GIF");
    }
    try (Stream<Path> sheets = Files.walk(r.runDir())) {
      assertTrue(sheets.anyMatch(p -> p.getFileName().toString().equals("contact-sheet.png")), "no contact sheet");
    }
    assertTrue(m.has("collapse_vs_real_held_out"), "collapse figures next to the held-out clips");
    try (PrivacyLedger l = PrivacyLedger.open(LedgerLocation.parse(ledger.toString()), new PldAccountant())) {
      assertEquals(1, l.entries().stream().filter(e -> e.kind().equals("run_completed")).count());
    }
    assertTrue(out.toString().contains("held-out NLL per token"), out.toString());
    assertTrue(out.toString().contains("stickers drawn in Java"), out.toString());
  }
}
