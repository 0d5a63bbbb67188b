package io.stateweave.manager.definition;

import java.nio.file.Path;
import java.util.List;

/**
 * One kind of definition: what its source is, how it is checked before it is accepted, and how the
 * job jar's main is told where to find it. A module.yaml is the only one so far (processor tasks
 * are module.yaml documents); another would be added beside it in {@link DefinitionKinds}.
 */
interface Kind {
  /** The name in requests and in the registry, e.g. {@code module}. */
  String name();

  /** The extension of the file the source is written to for the job, e.g. {@code .yaml}. */
  String fileExtension();

  /**
   * Checks the source fully, with the job jar's classes as the context class loader; throws a
   * {@code BadRequestException} that names file, document and field.
   */
  void validate(String source, String sourceName);

  /** The job's arguments that point it at the source written to {@code file}. */
  List<String> programArgs(Path file);
}
