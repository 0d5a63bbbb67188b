package io.stateweave.manager.definition;

import io.stateweave.flink.module.ModuleLoader;
import io.stateweave.flink.module.ModuleSpecException;
import io.stateweave.manager.client.BadRequestException;
import io.stateweave.manager.client.DefinitionRequest;
import java.nio.file.Path;
import java.util.List;

/** A module.yaml, checked by the job's own loader, so that what is accepted here also runs. */
final class ModuleKind implements Kind {
  @Override
  public String name() {
    return DefinitionRequest.MODULE;
  }

  @Override
  public String fileExtension() {
    return ".yaml";
  }

  @Override
  public void validate(String source, String sourceName) {
    try {
      ModuleLoader.parse(source, sourceName);
    } catch (ModuleSpecException e) {
      throw new BadRequestException(e.getMessage());
    }
  }

  @Override
  public List<String> programArgs(Path file) {
    return List.of("--module", file.toAbsolutePath().toString());
  }
}
