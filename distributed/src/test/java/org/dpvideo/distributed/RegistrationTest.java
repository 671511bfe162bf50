package org.dpvideo.distributed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dpvideo.dpsgd.dataparallel.DataParallelBackends;
import org.dpvideo.finetune.cli.DpvideoCli;
import org.junit.jupiter.api.Test;

/** The module plugs into the engine and the CLI through ServiceLoader only. */
class RegistrationTest {

  @Test
  void sparkBackend_isFoundByName() {
    assertTrue(DataParallelBackends.find("spark").orElseThrow() instanceof SparkBackend);
  }

  @Test
  void unknownBackend_failsWithTheBuildCommand() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> DataParallelBackends.require("mpi"));
    assertTrue(e.getMessage().contains(DataParallelBackends.SPARK_BUILD_HINT), e.getMessage());
  }

  @Test
  void benchDistributed_isASubcommandOfBench() {
    var bench = DpvideoCli.commandLine().getSubcommands().get("bench");
    assertTrue(bench.getSubcommands().containsKey("distributed"), bench.getSubcommands().keySet().toString());
    assertEquals(2, DpvideoCli.commandLine().execute("bench", "distributed", "--units", "0"));
  }

  @Test
  void unitPartitioner_keepsContiguousRanges_andRejectsForeignIds() {
    UnitPartitioner p = new UnitPartitioner(4, 10);
    int[] expected = {0, 0, 0, 1, 1, 2, 2, 2, 3, 3};
    for (int u = 0; u < 10; u++) {
      assertEquals(expected[u], p.getPartition(u));
    }
    assertThrows(IllegalArgumentException.class, () -> p.getPartition(10));
  }
}
