package io.stateweave.manager.client;

/**
 * What {@code create} sends: a name, the kind of definition and its source text (for kind {@value
 * #MODULE}, a module.yaml), the name of the file the source came from (error messages start with
 * it), the job jar on the manager's machine (the manager's default when null) and the settings.
 */
public record DefinitionRequest(
    String name, String kind, String source, String sourceName, String jar, Settings settings) {
  /** A module.yaml: stateful functions with their ingresses and egresses. */
  public static final String MODULE = "module";

  public static DefinitionRequest module(String name, String moduleYaml) {
    return new DefinitionRequest(
        name, MODULE, moduleYaml, "module.yaml", null, Settings.defaults());
  }

  public DefinitionRequest withSourceName(String value) {
    return new DefinitionRequest(name, kind, source, value, jar, settings);
  }

  public DefinitionRequest withJar(String value) {
    return new DefinitionRequest(name, kind, source, sourceName, value, settings);
  }

  public DefinitionRequest withSettings(Settings value) {
    return new DefinitionRequest(name, kind, source, sourceName, jar, value);
  }
}
