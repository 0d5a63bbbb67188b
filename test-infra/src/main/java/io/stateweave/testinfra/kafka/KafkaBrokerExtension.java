package io.stateweave.testinfra.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaBrokerExtension KAFKA = new KafkaBrokerExtension();
 * }</pre>
 *
 * <p>Starts the broker before the class's first test and stops it after its last. Its work
 * directory is a new folder under {@code target/} when the tests run in a Maven module (so the
 * broker's log stays there for a look after a failure and {@code mvn clean} removes it), else under
 * the system's temporary folder. The data is deleted when the broker stops; the log is kept.
 */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {

  private KafkaBroker broker;
  private Path workDir;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (broker != null) {
      throw new IllegalStateException(
          "KafkaBrokerExtension is already running a broker at "
              + broker.bootstrapServers()
              + "; use one extension per test class");
    }
    workDir = newWorkDir(context.getRequiredTestClass().getSimpleName());
    broker = KafkaBroker.start(workDir);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker == null) {
      return;
    }
    try {
      broker.close();
      deleteRecursively(workDir.resolve(KafkaBroker.DATA_DIR_NAME));
    } finally {
      broker = null;
    }
  }

  /** Where clients connect: {@code 127.0.0.1:<port>}. */
  public String bootstrapServers() {
    return running().bootstrapServers();
  }

  /** Creates a topic with one replica per partition; see {@link KafkaBroker#createTopic}. */
  public void createTopic(String name, int partitions) {
    running().createTopic(name, partitions);
  }

  /** The broker's log file. */
  public Path logFile() {
    return running().logFile();
  }

  /** Sends records (a key may be null) and waits until the broker has them. */
  @SafeVarargs
  public final void send(ProducerRecord<byte[], byte[]>... records) {
    new KafkaRecords(bootstrapServers()).send(List.of(records));
  }

  /** An idempotent producer of raw records, for tests that stream records into a running job. */
  public KafkaProducer<byte[], byte[]> producer() {
    return new KafkaRecords(bootstrapServers()).producer();
  }

  /**
   * A consumer assigned every partition of {@code topic} from its start, at {@code isolationLevel}
   * ({@code read_committed} or {@code read_uncommitted}); the caller closes it.
   */
  public KafkaConsumer<byte[], byte[]> consumerFromStart(String topic, String isolationLevel) {
    return new KafkaRecords(bootstrapServers()).consumerFromStart(topic, isolationLevel);
  }

  /**
   * The committed records of every partition of {@code topic}, from the start, as a {@code
   * read_committed} consumer sees them: waits up to a minute for {@code atLeast}, then reads on for
   * two seconds so that records that should not be there show up too.
   */
  public List<ConsumerRecord<byte[], byte[]>> readCommitted(String topic, int atLeast) {
    return new KafkaRecords(bootstrapServers())
        .readCommitted(topic, atLeast, Duration.ofMinutes(1));
  }

  /** The committed records of every partition of {@code topic} up to its current end. */
  public List<ConsumerRecord<byte[], byte[]>> readCommittedToEnd(String topic) {
    return new KafkaRecords(bootstrapServers()).readCommittedToEnd(topic);
  }

  private KafkaBroker running() {
    if (broker == null) {
      throw new IllegalStateException(
          "No Kafka broker is running: register the extension on a"
              + " static field with @RegisterExtension and use it only inside the test class");
    }
    return broker;
  }

  private static Path newWorkDir(String testClass) throws IOException {
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Path parent = Files.createDirectories(target.resolve("kafka-brokers"));
      return Files.createTempDirectory(parent, testClass + "-");
    }
    return Files.createTempDirectory("stateweave-kafka-" + testClass + "-");
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path directory, IOException e)
                throws IOException {
              if (e != null) {
                throw e;
              }
              Files.delete(directory);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot delete the Kafka broker's data in " + dir, e);
    }
  }
}
