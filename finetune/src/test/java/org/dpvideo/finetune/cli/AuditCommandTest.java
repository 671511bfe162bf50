package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract of {@code dpvideo audit}, run in-process on small settings. */
class AuditCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The documented JSON keys (docs/audit.md). */
  private static final List<String> KEYS = List.of("verdict", "broken", "broken_mechanism", "warning",
      "accounted_epsilon", "epsilon_lower_bound", "delta", "confidence", "guesses", "correct_guesses",
      "guesses_positive", "guesses_negative", "guess_choices", "choices", "mode", "model", "canary_design", "canaries",
      "canaries_included", "units", "dataset", "steps", "sampling_rate", "noise_multiplier", "clip_norm",
      "learning_rate", "accountant", "randomness", "seed", "model_accuracy", "seconds");

  @TempDir
  Path dir;

  private static JsonNode json(CliRun run) throws Exception {
    String[] lines = run.out().strip().split("\\R");
    assertEquals(1, lines.length, "one JSON object on one line: " + run.out() + run.err());
    return JSON.readTree(lines[0]);
  }

  @Test
  void audit_json_hasTheDocumentedKeys_andACorrectRunIsConsistent() throws Exception {
    CliRun run = CliRun.of("audit", "--canaries", "100", "--steps", "30", "--noise-multiplier", "1.5", "--seed", "4",
        "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode j = json(run);
    List<String> keys = new java.util.ArrayList<>();
    j.fieldNames().forEachRemaining(keys::add);
    assertEquals(KEYS, keys);
    assertEquals("consistent", j.get("verdict").asText());
    assertFalse(j.get("broken").asBoolean());
    assertTrue(j.get("epsilon_lower_bound").asDouble() < j.get("accounted_epsilon").asDouble());
    assertEquals(0.95, j.get("confidence").asDouble());
    assertEquals(100, j.get("canaries").asInt());
    assertEquals(5, j.get("choices").size());
    assertEquals("seeded", j.get("randomness").asText());
    assertEquals("white-box", j.get("mode").asText());
    assertEquals(1.5, j.get("noise_multiplier").asDouble());
  }

  @Test
  void brokenMechanism_withoutTheAcknowledgement_isRefused() {
    CliRun run = CliRun.of("audit", "--canaries", "100", "--steps", "10", "--unsafe-broken-mechanism", "noise-off");
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("--i-understand-this-run-is-not-private"), run.err());
    assertEquals("", run.out());
    CliRun ackOnly = CliRun.of("audit", "--canaries", "100", "--i-understand-this-run-is-not-private");
    assertEquals(2, ackOnly.exitCode());
  }

  @Test
  void brokenMechanism_isCaught_saysBroken_andTouchesNoLedger() throws Exception {
    String home = System.getProperty("user.home");
    System.setProperty("user.home", dir.toString());
    try {
      CliRun text = CliRun.of("audit", "--canaries", "200", "--steps", "100", "--epsilon", "1", "--seed", "5",
          "--unsafe-broken-mechanism", "noise-off", "--i-understand-this-run-is-not-private");
      assertEquals(0, text.exitCode(), "the audit caught the broken run: " + text.err());
      assertTrue(text.out().startsWith("*** BROKEN"), text.out());
      assertTrue(text.out().contains("verdict: VIOLATION"), text.out());
      CliRun js = CliRun.of("audit", "--canaries", "200", "--steps", "100", "--epsilon", "1", "--seed", "5",
          "--unsafe-broken-mechanism", "clipping-off", "--i-understand-this-run-is-not-private", "--json");
      assertEquals(0, js.exitCode(), js.err());
      JsonNode j = json(js);
      assertTrue(j.get("broken").asBoolean());
      assertEquals("clipping-off", j.get("broken_mechanism").asText());
      assertTrue(j.get("warning").asText().startsWith("BROKEN"));
      assertEquals("VIOLATION", j.get("verdict").asText());
      assertTrue(j.get("epsilon_lower_bound").asDouble() > 2 * j.get("accounted_epsilon").asDouble(), j.toString());
      assertFalse(Files.exists(dir.resolve(".dpvideo")), "an audit must not create or write a ledger");
    } finally {
      System.setProperty("user.home", home);
    }
  }

  @Test
  void csvData_isAudited() throws Exception {
    Path csv = dir.resolve("rows.csv");
    StringBuilder s = new StringBuilder("f1,f2,f3,label\n");
    Random r = new Random(1);
    for (int i = 0; i < 300; i++) {
      int y = r.nextInt(3);
      s.append(y + r.nextGaussian()).append(',').append(r.nextGaussian()).append(',').append(-y + r.nextGaussian())
          .append(',').append("class").append(y).append('\n');
    }
    Files.writeString(csv, s);
    CliRun run = CliRun.of("audit", "--data", csv.toString(), "--canaries", "100", "--steps", "20",
        "--noise-multiplier", "2", "--guesses", "20,30", "--seed", "6", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode j = json(run);
    assertTrue(j.get("dataset").asText().startsWith("csv: rows.csv, 300 rows, 3 features, 3 classes"), j.toString());
    assertEquals(400, j.get("units").asInt());
    assertEquals(1, j.get("guess_choices").asInt());
    assertEquals(50, j.get("guesses").asInt());
    assertTrue(j.get("model_accuracy").isNull());
  }

  @Test
  void badInput_exitsTwo_withTheValue() {
    CliRun guesses = CliRun.of("audit", "--canaries", "100", "--guesses", "80");
    assertEquals(2, guesses.exitCode());
    assertTrue(guesses.err().contains("160 guesses do not fit 100 canaries"), guesses.err());
    CliRun delta = CliRun.of("audit", "--canaries", "1000", "--delta", "0.01");
    assertEquals(2, delta.exitCode());
    assertTrue(delta.err().contains("1/(2m)"), delta.err());
    CliRun mode = CliRun.of("audit", "--mode", "grey-box");
    assertEquals(2, mode.exitCode());
    assertTrue(mode.err().contains("grey-box"), mode.err());
    CliRun data = CliRun.of("audit", "--data", dir.resolve("missing.csv").toString());
    assertEquals(2, data.exitCode());
    assertTrue(data.err().contains("missing.csv"), data.err());
  }
}
