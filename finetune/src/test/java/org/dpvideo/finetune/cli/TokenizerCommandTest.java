package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpvideo.testkit.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The tokenizer and data commands end to end on the fixture slice of the Fluent Emoji stickers. */
class TokenizerCommandTest {
  @TempDir
  Path dir;

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    CommandLine cl = DpvideoCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private Path manifest(boolean withPrivate) throws IOException {
    Path folder = Fixtures.require("fluent-emoji/anim-1", ".ci/fixtures.d/21-fluent-emoji.sh");
    StringBuilder csv = new StringBuilder("path,caption,subject,split,provenance,group:skin_tone\n");
    try (var files = Files.list(folder)) {
      int[] i = {0};
      files.filter(p -> p.getFileName().toString().endsWith(".webp")).sorted().limit(16).forEach(p -> {
        String split = i[0]++ % 4 == 0 ? "test" : "train";
        csv.append(p).append(",sticker,").append(p.getFileName()).append(',').append(split).append(",public,unspecified\n");
      });
    }
    if (withPrivate) {
      csv.append(folder.resolve("1f385-1f3fd.webp")).append(",father christmas,1f385-1f3fd,train,private,medium\n");
    }
    Path m = dir.resolve(withPrivate ? "mixed.csv" : "public.csv");
    Files.writeString(m, csv);
    return m;
  }

  @Test
  void fit_manifestWithPrivateRows_isRefusedWithExitCode2() throws IOException {
    Result r = run("tokenizer", "fit", "--kind", "vq", "--manifest", manifest(true).toString(), "--out",
        dir.resolve("t.tok").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("1 of its 17 rows are private"), r.err());
    assertTrue(r.err().contains("leak"), r.err());
    assertTrue(!Files.exists(dir.resolve("t.tok")));
  }

  @Test
  void fitEvalRoundtrip_vqOnFixtureStickers_work() throws IOException {
    Path tok = dir.resolve("vq.tok");
    Result fit = run("tokenizer", "fit", "--kind", "vq", "--manifest", manifest(false).toString(), "--out",
        tok.toString(), "--vocab", "64");
    assertEquals(0, fit.code(), fit.err());
    assertTrue(fit.out().contains("grid 5x8x8"), fit.out());
    Result eval = run("tokenizer", "eval", "--tokenizer", tok.toString(), "--manifest", manifest(false).toString(),
        "--json");
    assertEquals(0, eval.code(), eval.err());
    assertTrue(eval.out().contains("\"psnr_db\"") && eval.out().contains("\"ssim\""), eval.out());
    assertTrue(eval.out().contains("\"unspecified\""), eval.out());
    Path gif = dir.resolve("rt.gif");
    Path in = Fixtures.require("fluent-emoji/anim-1/1f385-1f3fb.webp", ".ci/fixtures.d/21-fluent-emoji.sh");
    Result rt = run("tokenizer", "roundtrip", in.toString(), gif.toString(), "--tokenizer", tok.toString());
    assertEquals(0, rt.code(), rt.err());
    assertTrue(rt.out().contains("keeps 320 of 320 ids"), rt.out());
    assertTrue(Files.size(gif) > 0);
  }

  @Test
  void inspect_manifestWithWrongHeader_namesFileAndColumn() throws IOException {
    Path m = dir.resolve("bad.csv");
    Files.writeString(m, "file,caption\nx.webp,y\n");
    Result r = run("data", "inspect", m.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(m.toString()) && r.err().contains("required column 'path' is missing"), r.err());
  }

  @Test
  void inspect_fixtureManifest_countsAndWritesContactSheet() throws IOException {
    Path sheet = dir.resolve("sheet.png");
    Result r = run("data", "inspect", manifest(false).toString(), "--probe", "4", "--contact-sheet", sheet.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("16 rows"), r.out());
    assertTrue(r.out().contains("per group:skin_tone: {unspecified=16}"), r.out());
    assertTrue(Files.size(sheet) > 0);
  }

  @Test
  void roundtrip_truncatedInput_isAClearErrorNotACrash() throws IOException {
    Path src = Fixtures.require("video/cockatoo.mp4", ".ci/fixtures.d/20-video-samples.sh");
    byte[] all = Files.readAllBytes(src);
    Path cut = dir.resolve("cut.mp4");
    Files.write(cut, java.util.Arrays.copyOf(all, all.length / 3));
    Path tok = dir.resolve("vq.tok");
    assertEquals(0, run("tokenizer", "fit", "--kind", "vq", "--manifest", manifest(false).toString(), "--out",
        tok.toString(), "--vocab", "32").code());
    Result r = run("tokenizer", "roundtrip", cut.toString(), dir.resolve("o.gif").toString(), "--tokenizer",
        tok.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(cut.toString()) && r.err().contains("truncated"), r.err());
  }
}
