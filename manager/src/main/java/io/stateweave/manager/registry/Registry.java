package io.stateweave.manager.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stateweave.manager.client.ConflictException;
import io.stateweave.manager.client.Savepoint;
import io.stateweave.manager.client.Settings;
import io.stateweave.manager.client.StatusChange;
import io.stateweave.manager.registry.StoredDefinition.State;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The durable registry of definitions: an H2 database file in the manager's data directory, with
 * the definitions, their status history, their savepoints and the job jars uploaded to clusters.
 * Every change is one transaction, so a manager that stops at any point finds each definition as it
 * was after its last completed change.
 */
public final class Registry implements AutoCloseable {
  // SQLSTATE of a unique or primary key violation (the SQL standard's, and H2's)
  private static final String DUPLICATE_KEY = "23505";
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String[] SCHEMA = {
    """
    CREATE TABLE IF NOT EXISTS definitions (
      name VARCHAR(64) PRIMARY KEY,
      kind VARCHAR(32) NOT NULL,
      source CLOB NOT NULL,
      source_name VARCHAR(1024) NOT NULL,
      jar VARCHAR(4096) NOT NULL,
      settings CLOB NOT NULL,
      state VARCHAR(16) NOT NULL,
      job_id VARCHAR(32),
      version BIGINT NOT NULL)""",
    """
    CREATE TABLE IF NOT EXISTS history (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(64) NOT NULL REFERENCES definitions (name) ON DELETE CASCADE,
      at TIMESTAMP WITH TIME ZONE NOT NULL,
      status VARCHAR(16) NOT NULL,
      detail CLOB)""",
    """
    CREATE TABLE IF NOT EXISTS savepoints (
      id BIGINT AUTO_INCREMENT PRIMARY KEY,
      name VARCHAR(64) NOT NULL REFERENCES definitions (name) ON DELETE CASCADE,
      path VARCHAR(4096) NOT NULL,
      job_id VARCHAR(32) NOT NULL,
      taken_at TIMESTAMP WITH TIME ZONE NOT NULL)""",
    """
    CREATE TABLE IF NOT EXISTS flink_jars (
      sha256 CHAR(64) NOT NULL,
      cluster VARCHAR(1024) NOT NULL,
      jar_id VARCHAR(1024) NOT NULL,
      PRIMARY KEY (sha256, cluster))"""
  };

  private final JdbcConnectionPool pool;
  private final Clock clock;

  private Registry(JdbcConnectionPool pool, Clock clock) {
    this.pool = pool;
    this.clock = clock;
  }

  /**
   * Opens (or creates) the registry in {@code dataDir}. H2 locks the file: a second manager process
   * on the same directory is refused here instead of corrupting it.
   */
  public static Registry open(Path dataDir, Clock clock) {
    Path file = dataDir.toAbsolutePath().resolve("registry");
    // DB_CLOSE_ON_EXIT=FALSE: H2 registers no JVM shutdown hook; close() shuts it down
    JdbcConnectionPool pool =
        JdbcConnectionPool.create("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    Registry registry = new Registry(pool, clock);
    try (Connection c = pool.getConnection();
        Statement statement = c.createStatement()) {
      for (String table : SCHEMA) {
        statement.execute(table);
      }
    } catch (SQLException e) {
      pool.dispose();
      throw failure("cannot open the registry in " + dataDir, e);
    }
    return registry;
  }

  /** Adds a new definition in state CREATED; of concurrent inserts of one name exactly one wins. */
  public StoredDefinition insert(
      String name, String kind, String source, String sourceName, String jar, Settings settings) {
    return inTransaction(
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO definitions (name, kind, source, source_name, jar, settings, state,"
                      + " job_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, 1)")) {
            insert.setString(1, name);
            insert.setString(2, kind);
            insert.setString(3, source);
            insert.setString(4, sourceName);
            insert.setString(5, jar);
            insert.setString(6, toJson(settings));
            insert.setString(7, State.CREATED.name());
            insert.executeUpdate();
          } catch (SQLException e) {
            if (DUPLICATE_KEY.equals(e.getSQLState())) {
              throw new ConflictException("a definition named '" + name + "' exists already");
            }
            throw e;
          }
          appendHistory(c, name, State.CREATED.label(), "created from " + sourceName);
          return new StoredDefinition(
              name, kind, source, sourceName, jar, settings, State.CREATED, null, 1);
        });
  }

  public Optional<StoredDefinition> find(String name) {
    List<StoredDefinition> found = select("WHERE name = ?", name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Every definition, by name. */
  public List<StoredDefinition> all() {
    return select("");
  }

  /**
   * Moves the definition to {@code state} with {@code jobId} if nobody changed it since {@code
   * expected} was read, and records the change in its history; false when somebody did.
   */
  public boolean transition(StoredDefinition expected, State state, String jobId, String detail) {
    return inTransaction(
        c -> {
          try (PreparedStatement update =
              c.prepareStatement(
                  "UPDATE definitions SET state = ?, job_id = ?, version = version + 1"
                      + " WHERE name = ? AND version = ?")) {
            update.setString(1, state.name());
            update.setString(2, jobId);
            update.setString(3, expected.name());
            update.setLong(4, expected.version());
            if (update.executeUpdate() == 0) {
              return false;
            }
          }
          appendHistory(c, expected.name(), state.label(), detail);
          return true;
        });
  }

  /** Records what the cluster said of the definition's job, unless the history ends with it. */
  public void observed(String name, String status, String detail) {
    inTransaction(
        c -> {
          List<StatusChange> history = history(c, name);
          StatusChange last = history.isEmpty() ? null : history.get(history.size() - 1);
          if (last == null || !last.status().equals(status)) {
            appendHistory(c, name, status, detail);
          }
          return null;
        });
  }

  public void addSavepoint(String name, String path, String jobId) {
    inTransaction(
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO savepoints (name, path, job_id, taken_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, path);
            insert.setString(3, jobId);
            insert.setObject(4, now());
            insert.executeUpdate();
          }
          return null;
        });
  }

  /** The definition's savepoints, newest first. */
  public List<Savepoint> savepoints(String name) {
    return inTransaction(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT path, job_id, taken_at FROM savepoints WHERE name = ? ORDER BY id"
                      + " DESC")) {
            select.setString(1, name);
            List<Savepoint> savepoints = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                savepoints.add(
                    new Savepoint(
                        rows.getString(1), rows.getString(2), instant(rows.getObject(3))));
              }
            }
            return savepoints;
          }
        });
  }

  /** The definition's status history, oldest first. */
  public List<StatusChange> history(String name) {
    return inTransaction(c -> history(c, name));
  }

  /** Removes the definition with its history and savepoint records; false when there was none. */
  public boolean delete(String name) {
    return inTransaction(
        c -> {
          try (PreparedStatement delete =
              c.prepareStatement("DELETE FROM definitions WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() > 0;
          }
        });
  }

  /** The id under which the jar of this content was uploaded to {@code cluster}, if it was. */
  public Optional<String> uploadedJar(String sha256, String cluster) {
    return inTransaction(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT jar_id FROM flink_jars WHERE sha256 = ? AND cluster = ?")) {
            select.setString(1, sha256);
            select.setString(2, cluster);
            try (ResultSet rows = select.executeQuery()) {
              return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
          }
        });
  }

  public void jarUploaded(String sha256, String cluster, String jarId) {
    inTransaction(
        c -> {
          try (PreparedStatement merge =
              c.prepareStatement(
                  "MERGE INTO flink_jars (sha256, cluster, jar_id) KEY (sha256, cluster)"
                      + " VALUES (?, ?, ?)")) {
            merge.setString(1, sha256);
            merge.setString(2, cluster);
            merge.setString(3, jarId);
            merge.executeUpdate();
          }
          return null;
        });
  }

  /** Shuts the database down cleanly and releases its file lock. */
  @Override
  public void close() {
    try (Connection c = pool.getConnection();
        Statement statement = c.createStatement()) {
      statement.execute("SHUTDOWN");
    } catch (SQLException e) {
      throw failure("cannot shut the registry down", e);
    } finally {
      pool.dispose();
    }
  }

  private List<StoredDefinition> select(String where, String... parameters) {
    return inTransaction(
        c -> {
          try (PreparedStatement select =
              c.prepareStatement(
                  "SELECT name, kind, source, source_name, jar, settings, state, job_id, version"
                      + " FROM definitions "
                      + where
                      + " ORDER BY name")) {
            for (int i = 0; i < parameters.length; i++) {
              select.setString(i + 1, parameters[i]);
            }
            List<StoredDefinition> definitions = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                definitions.add(
                    new StoredDefinition(
                        rows.getString(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getString(5),
                        fromJson(rows.getString(6)),
                        State.valueOf(rows.getString(7)),
                        rows.getString(8),
                        rows.getLong(9)));
              }
            }
            return definitions;
          }
        });
  }

  private List<StatusChange> history(Connection c, String name) throws SQLException {
    try (PreparedStatement select =
        c.prepareStatement("SELECT at, status, detail FROM history WHERE name = ? ORDER BY id")) {
      select.setString(1, name);
      List<StatusChange> history = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          history.add(
              new StatusChange(instant(rows.getObject(1)), rows.getString(2), rows.getString(3)));
        }
      }
      return history;
    }
  }

  private void appendHistory(Connection c, String name, String status, String detail)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO history (name, at, status, detail) VALUES (?, ?, ?, ?)")) {
      insert.setString(1, name);
      insert.setObject(2, now());
      insert.setString(3, status);
      insert.setString(4, detail);
      insert.executeUpdate();
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  private static String instant(Object timestamp) {
    return ((OffsetDateTime) timestamp).toInstant().toString();
  }

  private interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T inTransaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw failure("the registry failed", e);
    }
  }

  private static String toJson(Settings settings) {
    try {
      return JSON.writeValueAsString(settings);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Settings fromJson(String json) {
    try {
      return JSON.readValue(json, Settings.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException(what + ": " + e.getMessage(), e);
  }
}
