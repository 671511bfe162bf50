package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.dpvideo.finetune.TestClips;
import org.dpvideo.finetune.model.VideoLm;
import org.dpvideo.finetune.model.VideoLmConfig;
import org.dpvideo.tokenizer.video.VideoWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI contract of {@code dpvideo generate}, with a tiny model handed in through the loading seam. */
class GenerateCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final int CODES = 12;

  @TempDir
  Path dir;
  Path tokenizer;
  Path condition;
  Path modelFile;

  @BeforeEach
  void files() throws IOException {
    tokenizer = dir.resolve("tok.bin");
    TestClips.flatCodebook(CODES).save(tokenizer);
    condition = dir.resolve("cond.gif");
    VideoWriter.writeGif(TestClips.flat(5, 8, 8, t -> t / 4f), condition, 1);
    modelFile = dir.resolve("model.dpvlm");
    Files.writeString(modelFile, "stand-in: the test loader builds the model");
  }

  static GenerateCommand.ModelLoader tinyModel(ObjectNode info) {
    return file -> new GenerateCommand.LoadedModel(VideoLm.create(VideoLmConfig.tiny(CODES, 3, 2, 2), 7), "", info);
  }

  static ObjectNode dpInfo() {
    return JSON.createObjectNode().put("trained", "DP fine-tune of base.dpvlm").put("epsilon", 8.0)
        .put("delta", 1e-5).put("randomness", "secure").put("clip_spec", "5x8x8@8");
  }

  static CliRun run(GenerateCommand.ModelLoader loader, String... args) {
    CommandLine cl = DpvideoCli.commandLine();
    cl.getCommandSpec().removeSubcommand("generate");
    cl.addSubcommand("generate", new CommandLine(new GenerateCommand(loader)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> a = new ArrayList<>(List.of("generate"));
    a.addAll(List.of(args));
    int code = cl.execute(a.toArray(String[]::new));
    return new CliRun(code, out.toString(), err.toString());
  }

  private String[] args(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("--model", modelFile.toString(), "--tokenizer", tokenizer.toString(),
        "--out", out.toString()));
    a.addAll(List.of(more));
    return a.toArray(String[]::new);
  }

  @Test
  void generate_stickerAnimation_writesSamplesSheetAndThePrivacyGuarantee() throws Exception {
    Path out = dir.resolve("gen");
    CliRun r = run(tinyModel(dpInfo()), args(out, "--task", "i2v", "--condition", condition.toString(), "--caption",
        "wave", "--samples", "3", "--top-k", "5", "--cfg-scale", "2", "--seed", "4", "--json"));
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = JSON.readTree(r.out().strip());
    assertEquals("image_to_video", j.get("task").asText());
    assertEquals(3, j.get("samples").asInt());
    assertEquals(8, j.get("generated_tokens_per_sample").asInt()); // 2 of 3 token rows generated
    assertEquals("kv_cache", j.get("decoder").asText());
    assertEquals(2.0, j.get("cfg_scale").asDouble());
    assertEquals(4, j.get("seed").asLong());
    JsonNode p = j.get("privacy");
    assertTrue(p.get("differentially_private_model").asBoolean());
    assertEquals(8.0, p.get("epsilon").asDouble());
    assertEquals(1e-5, p.get("delta").asDouble());
    assertTrue(p.get("statement").asText().contains("post-processing"), p.toString());
    assertEquals(3, j.get("files").size());
    for (JsonNode f : j.get("files")) {
      assertTrue(Files.size(out.resolve(f.asText())) > 0);
    }
    assertTrue(Files.size(out.resolve(j.get("contact_sheet").asText())) > 0);
    assertEquals(j, JSON.readTree(Files.readString(out.resolve("generation.json"))));
  }

  @Test
  void generate_greedyWithAndWithoutKvCache_writesTheSameVideos() throws Exception {
    Path a = dir.resolve("cached");
    Path b = dir.resolve("recomputed");
    String[] common = {"--task", "fc", "--condition", condition.toString(), "--temperature", "0", "--samples", "1",
        "--seed", "1"};
    CliRun ra = run(tinyModel(dpInfo()), args(a, common));
    List<String> withFlag = new ArrayList<>(List.of(args(b, common)));
    withFlag.add("--no-kv-cache");
    CliRun rb = run(tinyModel(dpInfo()), withFlag.toArray(String[]::new));
    assertEquals(0, ra.exitCode(), ra.err());
    assertEquals(0, rb.exitCode(), rb.err());
    assertTrue(ra.out().contains("post-processing"), ra.out());
    assertArrayEquals(Files.readAllBytes(a.resolve("sample-0.gif")), Files.readAllBytes(b.resolve("sample-0.gif")));
    assertEquals("recompute", JSON.readTree(Files.readString(b.resolve("generation.json"))).get("decoder").asText());
  }

  @Test
  void generate_nonPrivateModel_saysSoAndRunsUnconditionalAsMp4() throws Exception {
    Path out = dir.resolve("u");
    CliRun r = run(tinyModel(JSON.createObjectNode().put("trained", "non-private pretraining on public data")),
        args(out, "--task", "unconditional", "--samples", "1", "--format", "mp4", "--json"));
    assertEquals(0, r.exitCode(), r.err());
    JsonNode p = JSON.readTree(r.out().strip()).get("privacy");
    assertFalse(p.get("differentially_private_model").asBoolean());
    assertTrue(p.get("statement").asText().contains("records no differential-privacy guarantee"), p.toString());
    assertTrue(Files.size(out.resolve("sample-0.mp4")) > 0);
    assertEquals("secure", JSON.readTree(r.out().strip()).get("randomness").asText());
  }

  @Test
  void generate_badInput_failsWithTheFix() throws Exception {
    Path out = dir.resolve("bad");
    GenerateCommand.ModelLoader ok = tinyModel(dpInfo());
    CliRun r = run(ok, args(out, "--task", "i2v"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("needs --condition VIDEO"), r.err());

    r = run(ok, args(out, "--task", "uncond", "--cfg-scale", "3"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("unconditional task has no condition"), r.err());

    r = run(ok, args(out, "--task", "t2v", "--temperature", "-1"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("temperature must be finite and >= 0"), r.err());

    r = run(ok, args(out, "--task", "dance"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("unknown task 'dance'"), r.err());

    r = run(ok, args(out, "--task", "t2v", "--token-frames", "9"));
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("cannot express text_to_video@9x2x2") && r.err().contains("at most 3"), r.err());
    assertFalse(Files.exists(out.resolve("generation.json")));
  }

  @Test
  void generate_missingOrCorruptModel_saysWhichAndWhy() throws Exception {
    Path out = dir.resolve("m");
    CliRun r = run(tinyModel(dpInfo()), "--model", dir.resolve("nope.dpvlm").toString(), "--tokenizer",
        tokenizer.toString(), "--task", "t2v", "--out", out.toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("there is no model file at"), r.err());

    r = run(file -> {
      throw new IOException(file + " is not a dpvideo model file (wrong magic bytes)");
    }, args(out, "--task", "t2v"));
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("cannot read the model file") && r.err().contains("wrong magic bytes"), r.err());

    r = run(file -> {
      throw new java.io.EOFException();
    }, args(out, "--task", "t2v"));
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("truncated"), r.err());

    Path otherTok = dir.resolve("tok8.bin");
    TestClips.flatCodebook(8).save(otherTok);
    r = run(tinyModel(dpInfo()), "--model", modelFile.toString(), "--tokenizer", otherTok.toString(), "--task",
        "t2v", "--out", out.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("the video tokenizer has 8 codes but the model 12"), r.err());
  }
}
