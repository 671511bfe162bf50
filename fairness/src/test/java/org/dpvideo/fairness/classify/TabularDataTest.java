package org.dpvideo.fairness.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TabularDataTest {
  @TempDir
  Path dir;

  @Test
  void load_featuresDefaultToOtherColumns_andClassesSortNumerically() {
    Path f = SyntheticTables.text(dir.resolve("t.csv"), "a,g,y,b\n1,u,10,2\n3,v,9,4\n5,u,10,6\n");
    TabularData d = TabularData.load(f, TabularSchema.of("y", "g"));
    assertEquals(List.of("a", "b"), d.featureNames());
    assertEquals(List.of("9", "10"), d.classes());
    assertEquals(1, d.label(0));
    assertEquals(0, d.label(1));
    assertEquals(4f, d.feature(1, 1));
    assertEquals(List.of("u", "v"), d.groupLevels());
    assertEquals(2, d.groupCounts()[0]);
  }

  @Test
  void load_featureRange_mapsLinearly() {
    Path f = SyntheticTables.text(dir.resolve("t.csv"), "p,y\n0,a\n8,b\n16,a\n");
    TabularData d = TabularData.load(f, TabularSchema.of("y", "y").withFeatureRange(new FeatureRange(0, 16)));
    assertEquals(0f, d.feature(0, 0));
    assertEquals(0.5f, d.feature(1, 0));
    assertEquals(1f, d.feature(2, 0));
  }

  @Test
  void load_quotedFields_keepCommas() {
    Path f = SyntheticTables.text(dir.resolve("t.csv"), "x,\"site, name\",y\n1,\"a, b\",p\n2,\"c\"\"d\",q\n");
    TabularData d = TabularData.load(f, TabularSchema.of("y", "site, name"));
    assertEquals(List.of("a, b", "c\"d"), d.groupLevels());
  }

  @Test
  void load_missingColumns_namesEveryMissingColumnAndTheAvailableOnes() {
    Path f = SyntheticTables.text(dir.resolve("t.csv"), "a,b,y\n1,2,x\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TabularData.load(f, TabularSchema.of("label", "site").withFeatures(List.of("a", "zz"))));
    assertTrue(e.getMessage().contains("label column 'label'"), e.getMessage());
    assertTrue(e.getMessage().contains("group column 'site'"), e.getMessage());
    assertTrue(e.getMessage().contains("feature column 'zz'"), e.getMessage());
    assertTrue(e.getMessage().contains("[a, b, y]"), e.getMessage());
  }

  @Test
  void load_badRows_listsEveryBadRowWithLineNumbers() {
    Path f = SyntheticTables.text(dir.resolve("t.csv"), String.join("\n",
        "x1,x2,g,y",
        "1,2,u,a",        // line 2 fine
        "one,2,u,a",      // line 3 non-numeric
        "1,NaN,u,b",      // line 4 non-finite
        "1,2,u",          // line 5 too few fields
        "1,2,,b",         // line 6 empty group
        "3,4,v,",         // line 7 empty label
        "1,2,v,b,9",      // line 8 too many fields
        "x,y,v,b") + "\n"); // line 9 non-numeric (both)
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TabularData.load(f, TabularSchema.of("y", "g")));
    String m = e.getMessage();
    assertTrue(m.contains("lines 5, 8"), m);
    assertTrue(m.contains("line 3 (x1='one')"), m);
    assertTrue(m.contains("line 4 (x2='NaN')"), m);
    assertTrue(m.contains("line 9 (x1='x', x2='y')"), m);
    assertTrue(m.contains("empty group in column 'g' on lines 6"), m);
    assertTrue(m.contains("empty label in column 'y' on lines 7"), m);
  }

  @Test
  void loadLike_unknownTestLabels_listsTheRowsAndTheKnownClasses() {
    Path train = SyntheticTables.text(dir.resolve("train.csv"), "x,g,y\n1,u,a\n2,v,b\n");
    Path test = SyntheticTables.text(dir.resolve("test.csv"), "x,g,y\n1,u,a\n2,u,c\n3,u,b\n4,v,c\n5,v,d\n");
    TabularData t = TabularData.load(train, TabularSchema.of("y", "g"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TabularData.loadLike(test, t));
    assertTrue(e.getMessage().contains("[c, d] on lines 3, 5-6"), e.getMessage());
    assertTrue(e.getMessage().contains("training classes [a, b]"), e.getMessage());
  }

  @Test
  void loadLike_testOnlyGroup_isAddedToTheLevels() {
    Path train = SyntheticTables.text(dir.resolve("train.csv"), "x,g,y\n1,u,a\n2,v,b\n");
    Path test = SyntheticTables.text(dir.resolve("test.csv"), "x,g,y\n1,w,a\n");
    TabularData d = TabularData.loadLike(test, TabularData.load(train, TabularSchema.of("y", "g")));
    assertEquals(List.of("u", "v", "w"), d.groupLevels());
    assertEquals(2, d.groupCodes()[0]);
  }

  @Test
  void load_declaredLevels_refuseUndeclaredValues() {
    Path f = SyntheticTables.text(dir.resolve("t.csv"), "x,g,y\n1,u,a\n2,v,b\n3,w,b\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TabularData.load(f, TabularSchema.of("y", "g").withGroupLevels(List.of("u", "v"))));
    assertTrue(e.getMessage().contains("[w] on lines 4"), e.getMessage());
  }

  @Test
  void load_oneClass_isRefused() {
    Path f = SyntheticTables.text(dir.resolve("t.csv"), "x,y\n1,a\n2,a\n");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TabularData.load(f, TabularSchema.of("y", "y")));
    assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
  }

  @Test
  void split_stratifiedByLabel_deterministicAndDisjoint() {
    TabularData d = TabularData.load(SyntheticTables.write(dir.resolve("s.csv"), 100, 3), SyntheticTables.schema());
    TabularData[] a = d.split(0.2, 7);
    TabularData[] b = d.split(0.2, 7);
    assertEquals(79, a[0].size());
    assertEquals(21, a[1].size());
    int[] heldPerClass = new int[3];
    for (int y : a[1].labels()) {
      heldPerClass[y]++;
    }
    // 34, 33, 33 rows per class -> round(0.2 n) = round(6.8), round(6.6), round(6.6) = 7, 7, 7 held out.
    assertEquals(7, heldPerClass[0]);
    assertEquals(7, heldPerClass[1]);
    assertEquals(7, heldPerClass[2]);
    java.util.Set<Integer> kept = new java.util.HashSet<>();
    for (int i = 0; i < a[0].size(); i++) {
      kept.add(a[0].lineNumber(i));
    }
    for (int i = 0; i < a[1].size(); i++) {
      assertTrue(!kept.contains(a[1].lineNumber(i)));
      assertEquals(a[1].lineNumber(i), b[1].lineNumber(i));
    }
  }
}
