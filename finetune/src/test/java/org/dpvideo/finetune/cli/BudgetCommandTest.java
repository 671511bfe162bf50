package org.dpvideo.finetune.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.dpvideo.dpsgd.PrivacyUnit;
import org.dpvideo.dpsgd.accounting.DpEvent;
import org.dpvideo.dpsgd.accounting.PldAccountant;
import org.dpvideo.dpsgd.ledger.DatasetId;
import org.dpvideo.dpsgd.ledger.LedgerBackend;
import org.dpvideo.dpsgd.ledger.LedgerLocation;
import org.dpvideo.dpsgd.ledger.PrivacyLedger;
import org.dpvideo.dpsgd.ledger.Provenance;
import org.dpvideo.dpsgd.ledger.Reservation;
import org.dpvideo.dpsgd.ledger.ReservationRequest;
import org.dpvideo.testkit.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code dpvideo budget ...} run in-process, on SQLite and PostgreSQL ledgers. */
class BudgetCommandTest {
  static final String DS = "ab12".repeat(16);
  static final Provenance WHO = new Provenance("tester", "host", 1, "test");

  @TempDir
  Path tmp;
  private String postgresUrl;
  private final List<String> schemas = new ArrayList<>();

  record Result(int code, String out, String err) {}

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cl = DpvideoCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private String ledger(LedgerBackend backend) throws Exception {
    if (backend == LedgerBackend.SQLITE) {
      return tmp.resolve("ledger-" + UUID.randomUUID() + ".db").toString();
    }
    postgresUrl = Files.readString(Fixtures.require("postgres/jdbc-url", ".ci/fixtures.d/30-postgres.sh")).trim();
    String schema = "cli_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(postgresUrl); Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA " + schema);
    }
    schemas.add(schema);
    return postgresUrl + "&currentSchema=" + schema;
  }

  @AfterEach
  void dropSchemas() throws Exception {
    if (postgresUrl != null && !schemas.isEmpty()) {
      try (Connection c = DriverManager.getConnection(postgresUrl); Statement st = c.createStatement()) {
        for (String s : schemas) {
          st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void setThenShow_printsTheBudget_andOpenReservationsCountedInFull(LedgerBackend backend) throws Exception {
    String ledger = ledger(backend);
    Result set = run("budget", "set", "--dataset", DS, "--epsilon", "8", "--delta", "1e-6", "--unit", "subject",
        "--label", "stickers", "--ledger", ledger);
    assertEquals(0, set.code(), set.err());
    assertTrue(set.out().contains("epsilon 8.0000 at delta 1.000e-06 per subject"), set.out());

    DpEvent plan = DpEvent.dpSgd(0.01, 1.1, 1000);
    try (PrivacyLedger l = PrivacyLedger.open(LedgerLocation.parse(ledger), new PldAccountant())) {
      l.reserve(new ReservationRequest(DatasetId.of(DS), plan, 1e-6, PrivacyUnit.SUBJECT, WHO));
    }
    double planned = new PldAccountant().epsilon(plan, 1e-6).epsilon();

    Result show = run("budget", "show", "--dataset", "ab12ab", "--ledger", ledger);
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("chain  intact"), show.out());
    assertTrue(show.out().contains("stickers"), show.out());
    assertTrue(show.out().contains("spent         epsilon " + BudgetCommand.fmt(planned)), show.out());
    assertTrue(show.out().contains("1 open reservation(s) counted in full"), show.out());
    assertTrue(show.out().contains("open "), show.out());

    Result json = run("budget", "show", "--json", "--ledger", ledger);
    assertEquals(0, json.code(), json.err());
    JsonNode root = new ObjectMapper().readTree(json.out());
    JsonNode ds = root.path("datasets").get(0);
    assertEquals(DS, ds.path("id").asText());
    assertEquals(planned, ds.path("spent").path("epsilon").asDouble(), 1e-12);
    assertEquals(1, ds.path("open_reservations").asInt());
    assertTrue(root.path("verification").path("intact").asBoolean());
    assertFalse(json.out().contains("password=dpvideo"), "no password in output");
  }

  @ParameterizedTest
  @EnumSource(LedgerBackend.class)
  void verify_detectsAnEditedEntry_andNamesIt(LedgerBackend backend) throws Exception {
    String ledger = ledger(backend);
    assertEquals(0, run("budget", "set", "--dataset", DS, "--epsilon", "2", "--delta", "1e-6", "--ledger", ledger).code());
    Result ok = run("budget", "verify", "--ledger", ledger);
    assertEquals(0, ok.code(), ok.err());
    assertTrue(ok.out().contains("intact: 3 entries"), ok.out());

    LedgerLocation loc = LedgerLocation.parse(ledger);
    try (Connection c = DriverManager.getConnection(backend == LedgerBackend.SQLITE ? "jdbc:sqlite:" + ledger : ledger);
        Statement st = c.createStatement()) {
      if (backend == LedgerBackend.SQLITE) {
        st.execute("DROP TRIGGER ledger_entries_no_update");
      } else {
        st.execute("DROP TRIGGER ledger_entries_append_only ON ledger_entries");
      }
      st.execute("UPDATE ledger_entries SET payload = REPLACE(payload, '\"epsilon\":2.0', '\"epsilon\":20.0') WHERE seq = 3");
    }
    Result bad = run("budget", "verify", "--ledger", ledger);
    assertEquals(1, bad.code());
    assertTrue(bad.out().contains("EDITED at #3"), bad.out());
    assertTrue(bad.err().contains("FAILS verification"), bad.err());
    assertTrue(loc.display().contains("***") || backend == LedgerBackend.SQLITE);
  }

  @Test
  void exportThenVerify_withTheHead_passes_andFailsAfterTheTailIsCut() throws Exception {
    String ledger = tmp.resolve("l.db").toString();
    assertEquals(0, run("budget", "set", "--dataset", DS, "--epsilon", "2", "--delta", "1e-6", "--ledger", ledger).code());
    assertEquals(0, run("budget", "set", "--dataset", DS, "--epsilon", "3", "--delta", "1e-6", "--ledger", ledger).code());
    Path trail = tmp.resolve("audit/trail.json");
    Result export = run("budget", "export", "--output", trail.toString(), "--ledger", ledger);
    assertEquals(0, export.code(), export.err());
    String head = new ObjectMapper().readTree(Files.readString(trail)).path("head_hash").asText();
    assertTrue(export.out().contains(head), export.out());

    assertEquals(0, run("budget", "verify", "--trail", trail.toString(), "--expect-head", head).code());
    assertEquals(0, run("budget", "verify", "--expect-head", head, "--ledger", ledger).code());

    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledger); Statement st = c.createStatement()) {
      st.execute("DROP TRIGGER ledger_entries_no_delete");
      st.execute("DELETE FROM ledger_entries WHERE seq = 4");
    }
    assertEquals(0, run("budget", "verify", "--ledger", ledger).code(), "a cut tail verifies without an anchor");
    Result anchored = run("budget", "verify", "--expect-head", head, "--ledger", ledger);
    assertEquals(1, anchored.code());
    assertTrue(anchored.out().contains("ANCHOR_NOT_FOUND"), anchored.out());
  }

  @Test
  void exportToStdout_isTheTrail_andTheHeadGoesToStderr() throws Exception {
    String ledger = tmp.resolve("l.db").toString();
    run("budget", "set", "--dataset", DS, "--epsilon", "2", "--delta", "1e-6", "--ledger", ledger);
    Result export = run("budget", "export", "--ledger", ledger);
    assertEquals(0, export.code(), export.err());
    JsonNode trail = new ObjectMapper().readTree(export.out());
    assertEquals("dpvideo-ledger-audit-trail", trail.path("format").asText());
    assertTrue(export.err().contains(trail.path("head_hash").asText()), export.err());
  }

  @Test
  void abandon_closesTheRun_andItStaysCountedInFull() throws Exception {
    String ledger = tmp.resolve("l.db").toString();
    run("budget", "set", "--dataset", DS, "--epsilon", "8", "--delta", "1e-6", "--ledger", ledger);
    DpEvent plan = DpEvent.dpSgd(0.01, 1.1, 500);
    Reservation r;
    try (PrivacyLedger l = PrivacyLedger.open(LedgerLocation.parse(ledger), new PldAccountant())) {
      r = l.reserve(new ReservationRequest(DatasetId.of(DS), plan, 1e-6, PrivacyUnit.SUBJECT, WHO));
    }
    Result abandon = run("budget", "abandon", "--run", r.runId().value().substring(0, 8), "--reason", "node lost",
        "--ledger", ledger);
    assertEquals(0, abandon.code(), abandon.err());
    Result show = run("budget", "show", "--ledger", ledger);
    assertTrue(show.out().contains("abandoned: node lost"), show.out());
    assertTrue(show.out().contains("0 open reservation(s)"), show.out());
    assertTrue(show.out().contains("spent         epsilon "
        + BudgetCommand.fmt(new PldAccountant().epsilon(plan, 1e-6).epsilon())), show.out());
    Result again = run("budget", "abandon", "--run", r.runId().value(), "--ledger", ledger);
    assertEquals(1, again.code());
    assertTrue(again.err().contains("abandoned at") && !again.err().contains("--verbose"), again.err());
    // The command line that abandoned it is recorded.
    try (PrivacyLedger l = PrivacyLedger.open(LedgerLocation.parse(ledger), new PldAccountant())) {
      String payload = l.entries().get(l.entries().size() - 1).payload();
      assertTrue(payload.contains("dpvideo budget abandon --run"), payload);
    }
  }

  @Test
  void badInput_exitsTwo_withTheValueAndTheFix() {
    String ledger = tmp.resolve("l.db").toString();
    Result eps = run("budget", "set", "--dataset", DS, "--epsilon", "-1", "--delta", "1e-6", "--ledger", ledger);
    assertEquals(2, eps.code());
    assertTrue(eps.err().contains("got -1.0"), eps.err());
    Result unit = run("budget", "set", "--dataset", DS, "--epsilon", "1", "--delta", "1e-6", "--unit", "clipz",
        "--ledger", ledger);
    assertEquals(2, unit.code());
    assertTrue(unit.err().contains("example, subject"), unit.err());
    Result id = run("budget", "set", "--dataset", "nothex", "--epsilon", "1", "--delta", "1e-6", "--ledger", ledger);
    assertEquals(2, id.code());
    assertTrue(id.err().contains("known datasets"), id.err());
  }

  @Test
  void readCommands_onAMissingLedger_sayWhereTheyLooked_andCreateNothing() {
    Path missing = tmp.resolve("nope/ledger.db");
    for (String sub : List.of("show", "verify", "export")) {
      Result r = run("budget", sub, "--ledger", missing.toString());
      assertEquals(1, r.code(), sub);
      assertTrue(r.err().contains("there is no ledger at " + missing), r.err());
      assertFalse(r.err().contains("--verbose"), "a complete message needs no stack trace hint: " + r.err());
    }
    assertFalse(Files.exists(missing.getParent()));
  }

  @Test
  void garbageLedger_isAClearError_andLeftAsItWas() throws Exception {
    Path file = tmp.resolve("ledger.db");
    byte[] garbage = "this is not a database, but it could be someone's only copy".repeat(100).getBytes();
    Files.write(file, garbage);
    Result r = run("budget", "set", "--dataset", DS, "--epsilon", "1", "--delta", "1e-6", "--ledger", file.toString());
    assertEquals(1, r.code());
    assertTrue(r.err().contains(file.toString()) && r.err().contains("not modified"), r.err());
    assertArrayEquals(garbage, Files.readAllBytes(file));
  }

  @Test
  void help_listsEverySubcommand_andEveryCommandTakesLedger() {
    Result help = run("budget", "--help");
    assertEquals(0, help.code(), help.err());
    for (String sub : List.of("show", "set", "verify", "export", "abandon")) {
      assertTrue(help.out().contains(sub), help.out());
      Result subHelp = run("budget", sub, "--help");
      assertEquals(0, subHelp.code(), subHelp.err());
      assertTrue(subHelp.out().contains("--ledger"), subHelp.out());
    }
  }

  @Test
  void ledgerOption_defaultsToTheHomeDirectoryFile() {
    LedgerOption option = new LedgerOption();
    if (System.getenv(LedgerOption.ENVIRONMENT) == null) {
      assertEquals(LedgerLocation.defaultLocation(), option.location());
    }
    option.ledger = "jdbc:postgresql://db/l?password=x";
    assertEquals(LedgerBackend.POSTGRESQL, option.location().backend());
    assertEquals(Optional.of("jdbc:postgresql://db/l?password=***"), Optional.of(option.location().display()));
  }
}
