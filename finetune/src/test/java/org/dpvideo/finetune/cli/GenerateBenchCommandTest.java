package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.dpvideo.testkit.Tiers;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The CLI contract of {@code dpvideo bench generate}. */
class GenerateBenchCommandTest {
  @Test
  void benchGenerate_badSettings_areRejected() {
    CliRun r = CliRun.of("bench", "generate", "--repetitions", "0");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--repetitions and --batch must be >= 1"), r.err());
    r = CliRun.of("bench", "generate", "--cfg-scale", "1");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("--cfg-scale must be finite and > 1"), r.err());
  }

  @Test
  @Tag(Tiers.SLOW)
  void benchGenerate_json_timesEverySettingAndBothDecodersAgree() throws Exception {
    CliRun r = CliRun.of("bench", "generate", "--json", "--repetitions", "1", "--batch", "2", "--video-codes", "64");
    assertEquals(0, r.exitCode(), r.err());
    JsonNode j = new ObjectMapper().readTree(r.out().strip());
    assertEquals(256, j.get("generated_tokens").asInt());
    assertEquals(5, j.get("settings").size());
    for (JsonNode s : j.get("settings")) {
      assertTrue(s.get("median_seconds").asDouble() > 0, s.toString());
    }
    assertTrue(j.get("greedy_tokens_identical").asBoolean(), j.toString());
  }
}
