package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.dpvideo.dpsgd.accounting.ComposedEvent;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.DpEventJson;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of {@code dpvideo privacy} (issue 2), run in-process. */
class PrivacyCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private static JsonNode json(CliRun run) throws Exception {
    assertEquals(0, run.exitCode(), run.err());
    String[] lines = run.out().strip().split("\\R");
    assertEquals(1, lines.length, "one JSON object on one line: " + run.out());
    return JSON.readTree(lines[0]);
  }

  @Test
  void epsilon_pldJson_hasTheContractKeys_andThePublishedValue() throws Exception {
    JsonNode j = json(CliRun.of("privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "4",
        "--steps", "10000", "--delta", "1e-5", "--json"));
    assertEquals(0.9470, j.get("epsilon").asDouble(), 0.005 * 0.9470);
    assertEquals(1e-5, j.get("delta").asDouble(), 0.0);
    assertEquals("pld", j.get("accountant").asText());
    assertFalse(j.has("optimal_order"));
  }

  @Test
  void epsilon_rdpJson_reportsTheOptimalOrder() throws Exception {
    JsonNode j = json(CliRun.of("privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "4",
        "--steps", "10000", "--delta", "1e-5", "--accountant", "rdp", "--json"));
    assertEquals(1.0355, j.get("epsilon").asDouble(), 0.002 * 1.0355);
    assertEquals("rdp", j.get("accountant").asText());
    assertEquals(17.0, j.get("optimal_order").asDouble(), 0.0);
  }

  @Test
  void epsilon_text_namesEpsilonDeltaAndAccountant() {
    CliRun run = CliRun.of("privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "4",
        "--steps", "10000", "--delta", "1e-5", "--accountant", "RDP");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals("epsilon = 1.0355 at delta = 1e-5 (rdp accountant, optimal order 17)", run.out().strip());
  }

  @Test
  void epsilon_eventsFile_composesTheEventsLikeTheLibrary() throws Exception {
    DpEvent schedule = ComposedEvent.of(DpEvent.dpSgd(0.02, 1.2, 500), DpEvent.dpSgd(0.01, 1.0, 1500));
    Path file = dir.resolve("events.json");
    Files.writeString(file, DpEventJson.toJson(schedule));
    JsonNode j = json(CliRun.of("privacy", "epsilon", "--events", file.toString(), "--delta", "1e-6", "--json"));
    assertEquals(new PldAccountant().epsilon(schedule, 1e-6).epsilon(), j.get("epsilon").asDouble(), 0.0);
    assertEquals("pld", j.get("accountant").asText());
  }

  @Test
  void calibrate_json_printsTheNoiseMultiplier_reachingAtMostTheTarget() throws Exception {
    JsonNode j = json(CliRun.of("privacy", "calibrate", "--target-epsilon", "1.0355", "--sampling-rate", "0.01",
        "--steps", "10000", "--delta", "1e-5", "--accountant", "rdp", "--json"));
    assertEquals(4.0, j.get("noise_multiplier").asDouble(), 0.01);
    assertTrue(j.get("epsilon").asDouble() <= 1.0355);
    assertEquals("rdp", j.get("accountant").asText());
  }

  @Test
  void badValues_exitNonZero_withOneSentenceNamingArgumentValueAndRange() {
    assertBadInput("--noise-multiplier", "-1.0", "> 0",
        "privacy", "epsilon", "--sampling-rate", "0.01", "--noise-multiplier", "-1", "--steps", "10", "--delta", "1e-5");
    assertBadInput("--sampling-rate", "1.5", "(0, 1]",
        "privacy", "epsilon", "--sampling-rate", "1.5", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5");
    assertBadInput("--sampling-rate", "0.0", "(0, 1]",
        "privacy", "epsilon", "--sampling-rate", "0", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5");
    assertBadInput("--delta", "1.0", "(0, 1)",
        "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "10", "--delta", "1");
    assertBadInput("--delta", "0.0", "(0, 1)",
        "privacy", "calibrate", "--target-epsilon", "1", "--sampling-rate", "0.1", "--steps", "10", "--delta", "0");
    assertBadInput("--steps", "0", ">= 1",
        "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "0", "--delta", "1e-5");
    assertBadInput("--accountant", "'moments'", "pld or rdp",
        "privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "10", "--delta", "1e-5",
        "--accountant", "moments");
    assertBadInput("--target-epsilon", "-2.0", "> 0",
        "privacy", "calibrate", "--target-epsilon", "-2", "--sampling-rate", "0.1", "--steps", "10", "--delta", "1e-5");
  }

  @Test
  void malformedEventsFile_exitsNonZero_namingTheOption() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"type\":\"poisson_sampled\",\"sampling_probability\":2,"
        + "\"event\":{\"type\":\"gaussian\",\"noise_multiplier\":1}}");
    CliRun run = CliRun.of("privacy", "epsilon", "--events", file.toString(), "--delta", "1e-5");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--events"), run.err());
    assertTrue(run.err().contains("(0, 1]"), run.err());
    assertOneLineWithoutStackTrace(run);

    Files.writeString(file, "{not json");
    CliRun garbage = CliRun.of("privacy", "epsilon", "--events", file.toString(), "--delta", "1e-5");
    assertEquals(2, garbage.exitCode());
    assertTrue(garbage.err().contains("--events"), garbage.err());
    assertOneLineWithoutStackTrace(garbage);

    CliRun missing = CliRun.of("privacy", "epsilon", "--events", dir.resolve("nope.json").toString(), "--delta", "1e-5");
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("does not exist"), missing.err());
  }

  @Test
  void eventsAndSettingsTogether_orNeither_areRejected() {
    CliRun both = CliRun.of("privacy", "epsilon", "--events", "x.json", "--steps", "3", "--delta", "1e-5");
    assertEquals(2, both.exitCode());
    assertTrue(both.err().contains("cannot be combined"), both.err());
    CliRun neither = CliRun.of("privacy", "epsilon", "--delta", "1e-5");
    assertEquals(2, neither.exitCode());
    assertTrue(neither.err().contains("missing --sampling-rate"), neither.err());
  }

  @Test
  void unsupportedEvent_isABadInputSentence() throws Exception {
    Path file = dir.resolve("nested.json");
    Files.writeString(file, DpEventJson.toJson(new org.dpvideo.dpsgd.accounting.PoissonSampledEvent(0.5,
        DpEvent.dpSgd(0.1, 1, 3))));
    CliRun run = CliRun.of("privacy", "epsilon", "--events", file.toString(), "--delta", "1e-5");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("cannot account"), run.err());
  }

  @Test
  void verbose_addsTheStackTrace() {
    CliRun run = CliRun.of("privacy", "epsilon", "--sampling-rate", "2", "--noise-multiplier", "1", "--steps", "10",
        "--delta", "1e-5", "--verbose");
    assertNotEquals(0, run.exitCode());
    assertTrue(run.err().contains("\tat org.dpvideo"), run.err());
  }

  @Test
  void missingRequiredOption_isAParameterError() {
    CliRun run = CliRun.of("privacy", "epsilon", "--sampling-rate", "0.1", "--noise-multiplier", "1", "--steps", "10");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--delta"), run.err());
  }

  private static void assertBadInput(String option, String value, String allowed, String... args) {
    CliRun run = CliRun.of(args);
    assertEquals(2, run.exitCode(), "exit code for " + String.join(" ", args) + ": " + run.err());
    String err = run.err();
    assertTrue(err.contains(option), err);
    assertTrue(err.contains(value), err);
    assertTrue(err.contains(allowed), err);
    assertOneLineWithoutStackTrace(run);
  }

  private static void assertOneLineWithoutStackTrace(CliRun run) {
    assertEquals(1, run.err().strip().split("\\R").length, "one line: " + run.err());
    assertFalse(run.err().contains("\tat "), run.err());
    assertTrue(run.out().isEmpty(), run.out());
  }
}
