package org.apache.flink.metrics.prometheus;

import io.prometheus.client.exporter.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Properties;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * Flink's Prometheus reporter served on 127.0.0.1 only, for tests: Flink's {@link
 * PrometheusReporter} binds its HTTP server to every interface, and has no option to change that.
 * What is exported (names, labels, types, values) is Flink's own {@link
 * AbstractPrometheusReporter}; only the server differs. It lives in Flink's package because the
 * reporter's registry, which the server serves, is package-private. Takes the option {@code port}.
 */
public final class LoopbackPrometheusReporterFactory implements MetricReporterFactory {
  @Override
  public MetricReporter createMetricReporter(Properties properties) {
    return new LoopbackPrometheusReporter(Integer.parseInt(properties.getProperty("port")));
  }

  private static final class LoopbackPrometheusReporter extends AbstractPrometheusReporter {
    private final HTTPServer server;

    LoopbackPrometheusReporter(int port) {
      try {
        server =
            new HTTPServer(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), registry, true);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot serve Prometheus metrics on port " + port, e);
      }
    }

    @Override
    public void close() {
      server.stop();
      super.close();
    }
  }
}
