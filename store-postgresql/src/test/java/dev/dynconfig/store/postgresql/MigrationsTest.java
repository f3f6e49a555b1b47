package dev.dynconfig.store.postgresql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MigrationsTest {
  @RegisterExtension static final EmbeddedDatabase db = new EmbeddedDatabase();

  @Test
  void migrate_twice_appliesEveryStepOnce() throws Exception {
    String url = db.newDatabase();
    try (Connection c = db.connect(url)) {
      assertThat(Migrations.migrate(c)).isEqualTo(Migrations.latest());
      assertThat(Migrations.migrate(c)).isZero();
      assertThat(schemaVersions(c)).containsExactly(1);
      assertThat(c.getAutoCommit()).isTrue();
    }
  }

  @Test
  void migrate_concurrently_oneServerAppliesTheOthersFindItDone() throws Exception {
    String url = db.newDatabase();
    int servers = 6;
    CyclicBarrier together = new CyclicBarrier(servers);
    ExecutorService pool = Executors.newFixedThreadPool(servers);
    try {
      List<Future<Integer>> applied = new ArrayList<>();
      for (int i = 0; i < servers; i++) {
        Callable<Integer> start =
            () -> {
              try (Connection c = db.connect(url)) {
                together.await();
                return Migrations.migrate(c);
              }
            };
        applied.add(pool.submit(start));
      }
      int total = 0;
      for (Future<Integer> f : applied) {
        total += f.get(); // any failure (e.g. a catalog collision) fails here
      }
      assertThat(total).isEqualTo(Migrations.latest());
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = db.connect(url)) {
      assertThat(schemaVersions(c)).containsExactly(1);
    }
  }

  private static List<Integer> schemaVersions(Connection c) throws Exception {
    List<Integer> out = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT version FROM dynconfig_schema_version ORDER BY version")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }
}
