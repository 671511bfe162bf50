package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DpStepBenchCommandTest {

  @Test
  void benchDpStep_json_hasTheContractKeys_onATinyModel() throws Exception {
    CliRun run = CliRun.of("bench", "dp-step", "--json", "--repetitions", "1", "--warmup", "0", "--layers", "1",
        "--width", "8", "--heads", "2", "--length", "6", "--vocabulary", "16", "--batch", "3");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode json = new ObjectMapper().readTree(run.out());
    for (String key : new String[] {"nonprivate_step_s", "dp_step_s", "ratio", "dp_tokens_per_s", "peak_memory_mb"}) {
      assertTrue(json.has(key) && json.get(key).asDouble() > 0, key + " in " + run.out());
    }
    assertEquals("secure", json.get("noise").asText());
    assertEquals(json.get("dp_step_s").asDouble() / json.get("nonprivate_step_s").asDouble(), json.get("ratio").asDouble(), 1e-9);
  }

  @Test
  void benchDpStep_badRepetitions_exitsWithUsageError() {
    CliRun run = CliRun.of("bench", "dp-step", "--repetitions", "0");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--repetitions"), run.err());
  }
}
