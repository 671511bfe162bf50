package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class DemoAndBenchCommandTest {

  @Test
  void demoHelp_describesTheQuickAndSeedOptions() {
    CliRun run = CliRun.of("demo", "--help");
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("--quick"), run.out());
    assertTrue(run.out().contains("--seeds"), run.out());
    assertTrue(run.out().contains("--ledger"), run.out());
  }

  @Test
  void demo_zeroSeeds_isRejectedWithTheValue() {
    CliRun run = CliRun.of("demo", "--quick", "--seeds", "0");
    assertEquals(2, run.exitCode(), run.err());
    assertTrue(run.err().contains("--seeds must be >= 1, got 0"), run.err());
  }

  @Test
  void benchAccounting_json_reportsEpsilonAndTimesForBothAccountants() throws Exception {
    CliRun run = CliRun.of("bench", "accounting", "--json", "--repetitions", "1", "--steps", "100");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode j = new ObjectMapper().readTree(run.out());
    assertEquals(2, j.get("results").size());
    assertEquals("pld", j.get("results").get(0).get("accountant").asText());
    assertEquals("rdp", j.get("results").get(1).get("accountant").asText());
    assertTrue(j.get("results").get(1).get("epsilon").asDouble() >= j.get("results").get(0).get("epsilon").asDouble());
    assertTrue(j.get("results").get(0).has("median_ms"));
  }

  @Test
  void help_listsThePrivacyDemoAndBenchCommands() {
    CliRun run = CliRun.of("--help");
    assertEquals(0, run.exitCode());
    assertTrue(run.out().contains("privacy"), run.out());
    assertTrue(run.out().contains("demo"), run.out());
    assertTrue(run.out().contains("bench"), run.out());
  }
}
