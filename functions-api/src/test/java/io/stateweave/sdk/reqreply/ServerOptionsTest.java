package io.stateweave.sdk.reqreply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerOptionsTest {

  @Test
  void defaultsAllButTheProvider() {
    ServerOptions options = ServerOptions.parse(new String[] {"--provider", "com.example.Fns"});

    assertThat(options.provider()).isEqualTo("com.example.Fns");
    assertThat(options.port()).isEqualTo(8000);
    assertThat(options.host()).isEqualTo("0.0.0.0");
    assertThat(options.path()).isEqualTo("/");
  }

  @Test
  void readsEveryOption() {
    ServerOptions options =
        ServerOptions.parse(
            new String[] {
              "--port", "9000", "--host", "127.0.0.1", "--path", "/statefun", "--provider", "a.B"
            });

    assertThat(options.port()).isEqualTo(9000);
    assertThat(options.host()).isEqualTo("127.0.0.1");
    assertThat(options.path()).isEqualTo("/statefun");
  }

  @Test
  void rejectsWhatItCannotUse() {
    assertThatThrownBy(() -> ServerOptions.parse(new String[0]))
        .hasMessage("--provider is required");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--provider"}))
        .hasMessage("Missing value after --provider");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--port", "x", "--provider", "a.B"}))
        .hasMessage("--port must be a number from 0 to 65535, got 'x'");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--verbose", "yes"}))
        .hasMessage("Unknown option --verbose");
    assertThatThrownBy(() -> ServerOptions.parse(new String[] {"--path", "x", "--provider", "a.B"}))
        .hasMessageContaining("--path must start with '/'");
  }
}
