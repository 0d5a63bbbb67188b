package io.stateweave.flink.api;

import io.stateweave.flink.message.Envelope;
import io.stateweave.flink.module.EgressSpec;
import io.stateweave.flink.module.EmbeddedFunctionsSpec;
import io.stateweave.flink.module.HttpEndpointSpec;
import io.stateweave.flink.module.IngressSpec;
import io.stateweave.flink.module.ModuleSpec;
import io.stateweave.flink.translation.ModuleTranslator;
import io.stateweave.flink.translation.ModuleTranslator.ProgramParts;
import io.stateweave.flink.translation.ProgramStream;
import io.stateweave.sdk.StatefulFunctions;
import io.stateweave.sdk.TypeName;
import io.stateweave.sdk.TypedValue;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Adds stateful functions to a DataStream program:
 *
 * <pre>{@code
 * StatefulFunctionsStreams functions =
 *     StatefulFunctionsBuilder.on(env)
 *         .withFunction(TypeName.parse("shop/stock"), Stock::new)
 *         .withIngress("orders", orders,
 *             order -> new RoutableMessage(new Address(STOCK, order.sku()), TypedValue.of(order.text())))
 *         .withEgress(TypeName.parse("shop/alerts"))
 *         .build();
 * functions.egress(TypeName.parse("shop/alerts"), String.class).sinkTo(mySink);
 * }</pre>
 *
 * Functions, endpoints and module.yaml documents can be mixed: a module's ingresses and egresses
 * run as in a module job, next to the program's streams. {@link #build} adds the functions to the
 * program and checks what they need (aligned checkpoints); nothing else of the program changes.
 */
public final class StatefulFunctionsBuilder {
  private final StreamExecutionEnvironment env;
  private final List<ModuleSpec> modules = new ArrayList<>();
  private final List<HttpEndpointSpec> endpoints = new ArrayList<>();
  private final List<FunctionsProvider> functions = new ArrayList<>();
  private final List<ProgramStream<?>> ingresses = new ArrayList<>();
  private final Set<String> ingressNames = new LinkedHashSet<>();
  private final Set<TypeName> egresses = new LinkedHashSet<>();
  private boolean built;

  private StatefulFunctionsBuilder(StreamExecutionEnvironment env) {
    this.env = Objects.requireNonNull(env, "env");
  }

  /** Functions for the program of {@code env}. */
  public static StatefulFunctionsBuilder on(StreamExecutionEnvironment env) {
    return new StatefulFunctionsBuilder(env);
  }

  /** Binds the functions {@code supplier} makes, one instance per TaskManager subtask. */
  public StatefulFunctionsBuilder withFunction(TypeName type, FunctionSupplier supplier) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(supplier, "supplier");
    String name = type.canonical();
    return withFunctions(() -> new StatefulFunctions().bind(name, supplier.get()));
  }

  /** Binds the functions {@code provider} binds, with their state declarations. */
  public StatefulFunctionsBuilder withFunctions(FunctionsProvider provider) {
    functions.add(Objects.requireNonNull(provider, "provider"));
    return this;
  }

  /** Remote functions served over HTTP, as a module's {@code io.statefun.endpoints.v2/http}. */
  public StatefulFunctionsBuilder withEndpoint(HttpEndpointSpec endpoint) {
    endpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
    return this;
  }

  /** A module's functions, endpoints, ingresses and egresses, e.g. {@code ModuleLoader.load}'s. */
  public StatefulFunctionsBuilder withModule(ModuleSpec module) {
    modules.add(Objects.requireNonNull(module, "module"));
    return this;
  }

  /**
   * A stream of the program as an ingress: each element becomes the message {@code router} makes.
   * {@code name} (unique) names the router operator and its uid.
   */
  public <T> StatefulFunctionsBuilder withIngress(
      String name, DataStream<T> stream, Router<T> router) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(stream, "stream");
    Objects.requireNonNull(router, "router");
    if (!ingressNames.add(name)) {
      throw new IllegalArgumentException("An ingress named '" + name + "' was already added");
    }
    if (stream.getExecutionEnvironment() != env) {
      throw new IllegalArgumentException(
          "Ingress '" + name + "' is a stream of another execution environment");
    }
    ingresses.add(new ProgramStream<>(name, stream, new Routing<>(name, router)));
    return this;
  }

  /** An egress the program takes as a stream from {@link StatefulFunctionsStreams#egress}. */
  public StatefulFunctionsBuilder withEgress(TypeName id) {
    if (!egresses.add(Objects.requireNonNull(id, "id"))) {
      throw new IllegalArgumentException("Egress " + id + " was already added");
    }
    return this;
  }

  /** Adds the functions to the program; once. */
  public StatefulFunctionsStreams build() {
    if (built) {
      throw new IllegalStateException("build() was already called");
    }
    built = true;
    Map<TypeName, DataStream<TypedValue>> egressStreams =
        ModuleTranslator.translate(
            env, combinedModule(), new ProgramParts(functions, ingresses, egresses));
    return new StatefulFunctionsStreams(egressStreams);
  }

  /** The program's endpoints and every module's parts, as one module. */
  private ModuleSpec combinedModule() {
    List<String> sources = new ArrayList<>();
    List<EmbeddedFunctionsSpec> moduleFunctions = new ArrayList<>();
    List<IngressSpec> moduleIngresses = new ArrayList<>();
    List<EgressSpec> moduleEgresses = new ArrayList<>();
    List<HttpEndpointSpec> allEndpoints = new ArrayList<>(endpoints);
    for (ModuleSpec module : modules) {
      sources.add(module.source());
      moduleFunctions.addAll(module.functions());
      moduleIngresses.addAll(module.ingresses());
      moduleEgresses.addAll(module.egresses());
      allEndpoints.addAll(module.endpoints());
    }
    String source =
        sources.isEmpty() ? "the program" : "the program and " + String.join(", ", sources);
    return new ModuleSpec(source, moduleFunctions, moduleIngresses, moduleEgresses, allEndpoints);
  }

  /** A router's message as the runtime's envelope; a router that fails says which ingress. */
  private static final class Routing<T> implements MapFunction<T, Envelope> {
    private static final long serialVersionUID = 1L;
    private final String ingress;
    private final Router<T> router;

    Routing(String ingress, Router<T> router) {
      this.ingress = ingress;
      this.router = router;
    }

    @Override
    public Envelope map(T element) {
      RoutableMessage message;
      try {
        message = router.route(element);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "The router of ingress '" + ingress + "' failed on " + element + ": " + e, e);
      }
      if (message == null) {
        throw new IllegalArgumentException(
            "The router of ingress '" + ingress + "' routed " + element + " nowhere (null)");
      }
      return new Envelope(message.target(), null, message.message());
    }
  }
}
