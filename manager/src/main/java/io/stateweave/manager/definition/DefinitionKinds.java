package io.stateweave.manager.definition;

import io.stateweave.manager.client.BadRequestException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/** The kinds of definition the manager accepts, by name. */
public final class DefinitionKinds {
  private final Map<String, Kind> kinds;

  private DefinitionKinds(List<Kind> kinds) {
    this.kinds =
        kinds.stream().collect(java.util.stream.Collectors.toUnmodifiableMap(Kind::name, k -> k));
  }

  /**
   * module.yaml modules. Processor tasks need no kind of their own: the job jar runs a module of
   * {@code io.stateweave.processor.v1/task} documents, and the module loader validates them.
   */
  public static DefinitionKinds standard() {
    return new DefinitionKinds(List.of(new ModuleKind()));
  }

  /**
   * Checks {@code source} as a definition of {@code kind} that runs from {@code jar}: the classes
   * it names (embedded functions, providers) are loaded from that jar, as the job will.
   */
  public void validate(String kind, String source, String sourceName, Path jar) {
    Kind definition = kind(kind);
    if (!Files.isRegularFile(jar)) {
      throw new BadRequestException("field 'jar': expected a job jar, got no such file: " + jar);
    }
    try (JarFile ignored = new JarFile(jar.toFile())) {
      // opened only to refuse what is not a jar before a class loader tries
    } catch (IOException e) {
      throw new BadRequestException("field 'jar': expected a job jar, got " + jar + ": " + e);
    }
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    // parent first: the API types the loader checks against are the manager's own
    try (URLClassLoader jarClasses =
        new URLClassLoader(new URL[] {url(jar)}, DefinitionKinds.class.getClassLoader())) {
      thread.setContextClassLoader(jarClasses);
      definition.validate(source, sourceName);
    } catch (LinkageError e) {
      throw new BadRequestException(sourceName + ": a class it names cannot be loaded: " + e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the class loader of " + jar, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  /** The file name, under the manager's data directory, of a definition's source. */
  public String fileName(String kind, String name) {
    return name + kind(kind).fileExtension();
  }

  /** The job's arguments that point it at the source in {@code file}. */
  public List<String> programArgs(String kind, Path file) {
    return kind(kind).programArgs(file);
  }

  private Kind kind(String name) {
    Kind kind = name == null ? null : kinds.get(name);
    if (kind == null) {
      throw new BadRequestException(
          "field 'kind': expected one of "
              + kinds.keySet().stream().sorted().toList()
              + ", got "
              + name);
    }
    return kind;
  }

  private static URL url(Path jar) {
    try {
      return jar.toUri().toURL();
    } catch (MalformedURLException e) {
      throw new BadRequestException("field 'jar': not a usable path: " + jar);
    }
  }
}
