package io.stepstream.worker;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.stepstream.asl.json.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The functions a worker can run, by name: {@link TaskHandler}s registered in this process and
 * HTTP endpoints that stand for functions living elsewhere (the request body is the payload, the
 * response body the result). Each function has a concurrency limit.
 *
 * <p>A function name is what {@code FunctionName} resolves to: {@code "charge"} is found for
 * {@code charge}, {@code charge:live}, {@code arn:aws:lambda:us-east-1:123456789012:function:charge}
 * and {@code 123456789012:function:charge}. Immutable and thread-safe once built.
 */
public final class TaskHandlers {

  /**
   * Converts payloads to handler types and back. Payload records need not name every field a state
   * machine passes along: unknown properties are ignored.
   */
  private static final ObjectMapper MAPPER = Json.MAPPER.copy()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /** Lambda's function names; also what a topic name may hold, so each function can have its own queue. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** The concurrency limit of a function that has none of its own. */
  public static final int DEFAULT_CONCURRENCY = 1_000;

  private final Map<String, Invocable> handlers;
  private final Map<String, URI> endpoints;
  private final Map<String, Integer> limits;
  private final int defaultConcurrency;

  private TaskHandlers(Builder builder) {
    this.handlers = Map.copyOf(builder.handlers);
    this.endpoints = Map.copyOf(builder.endpoints);
    this.limits = Map.copyOf(builder.limits);
    this.defaultConcurrency = builder.defaultConcurrency;
  }

  /** Starts an empty set of functions. */
  public static Builder builder() {
    return new Builder();
  }

  /** No functions at all. */
  public static TaskHandlers none() {
    return builder().build();
  }

  /** Whether this set runs the function: a handler or an endpoint is registered under its name. */
  public boolean serves(String functionName) {
    return handlers.containsKey(functionName) || endpoints.containsKey(functionName);
  }

  /**
   * Whether a text is a function name a worker can register: 1 to 64 letters, digits, '-' and '_',
   * as Lambda names functions. Tasks of any other name fail with Lambda.ResourceNotFoundException.
   */
  public static boolean isFunctionName(String name) {
    return NAME.matcher(name).matches();
  }

  /** Whether a handler is registered under this function name. */
  public boolean hasHandler(String functionName) {
    return handlers.containsKey(functionName);
  }

  /** The HTTP endpoint configured for this function name, if any. */
  public Optional<URI> endpoint(String functionName) {
    return Optional.ofNullable(endpoints.get(functionName));
  }

  /** Every function name, handlers and endpoints, sorted. */
  public Set<String> functionNames() {
    Set<String> names = new TreeSet<>(handlers.keySet());
    names.addAll(endpoints.keySet());
    return names;
  }

  /** How many invocations of this function may run at once in one worker. */
  public int concurrency(String functionName) {
    return limits.getOrDefault(functionName, defaultConcurrency);
  }

  /**
   * Runs the handler registered under a name.
   *
   * @param functionName a registered name (see {@link #hasHandler})
   * @param payload the task's payload
   * @param context the invocation's context
   * @return the handler's result as JSON (JSON null for a null result)
   * @throws TaskFailure whatever the handler threw, as {@link TaskFailure#of} maps it
   * @throws IllegalArgumentException when no handler has this name
   */
  public JsonNode invoke(String functionName, JsonNode payload, TaskContext context) {
    Invocable handler = handlers.get(functionName);
    if (handler == null) {
      throw new IllegalArgumentException("No handler registered for function " + functionName);
    }
    try {
      JsonNode result = handler.invoke(payload, context);
      return result == null ? NullNode.getInstance() : result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TaskFailure.of(e);
    } catch (Exception e) {
      throw TaskFailure.of(e);
    }
  }

  /**
   * The name of the function a {@code FunctionName} or a function ARN designates: the last
   * {@code function:} segment without its version or alias, or the text up to its first colon.
   */
  public static String functionName(String nameOrArn) {
    int at = nameOrArn.indexOf(":function:");
    String rest = at >= 0 ? nameOrArn.substring(at + ":function:".length()) : nameOrArn;
    int colon = rest.indexOf(':');
    return colon >= 0 ? rest.substring(0, colon) : rest;
  }

  @FunctionalInterface
  private interface Invocable {
    JsonNode invoke(JsonNode payload, TaskContext context) throws Exception;
  }

  /** Collects functions. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Invocable> handlers = new HashMap<>();
    private final Map<String, URI> endpoints = new HashMap<>();
    private final Map<String, Integer> limits = new HashMap<>();
    private int defaultConcurrency = DEFAULT_CONCURRENCY;

    private Builder() {}

    /**
     * Registers a handler.
     *
     * @param functionName the name Task states call it by: 1 to 64 letters, digits, '-' and '_'
     * @param inputType the payload is converted to this type with Jackson ({@code JsonNode.class} for raw JSON)
     * @param handler the code
     * @throws IllegalArgumentException if the name is taken or is not a {@link #isFunctionName function name}
     */
    public <I, O> Builder register(String functionName, Class<I> inputType, TaskHandler<I, O> handler) {
      Objects.requireNonNull(inputType, "inputType");
      Objects.requireNonNull(handler, "handler");
      put(functionName, (payload, context) ->
          MAPPER.valueToTree(handler.handle(MAPPER.treeToValue(payload, inputType), context)));
      return this;
    }

    /**
     * Registers a handler of ItemBatcher batches ({@code {"Items": [...], "BatchInput": ...}}).
     *
     * @param functionName the name Task states call it by
     * @param itemType each item is converted to this type with Jackson
     * @param handler the code
     */
    public <I, O> Builder registerBatch(String functionName, Class<I> itemType, BatchTaskHandler<I, O> handler) {
      Objects.requireNonNull(itemType, "itemType");
      Objects.requireNonNull(handler, "handler");
      put(functionName, (payload, context) -> {
        List<I> items = new ArrayList<>();
        for (JsonNode item : payload.path("Items")) {
          items.add(MAPPER.treeToValue(item, itemType));
        }
        JsonNode batchInput = payload.has("BatchInput") ? payload.get("BatchInput") : NullNode.getInstance();
        BatchResult<O> result = handler.handle(new Batch<>(items, batchInput), context);
        return result.toResult(MAPPER::valueToTree);
      });
      return this;
    }

    /**
     * Declares a function served over HTTP: invocations POST the payload (JSON) to the URL; a 2xx
     * response body is the result, any other status fails the task like an unhandled function error.
     */
    public Builder endpoint(String functionName, URI url) {
      Objects.requireNonNull(url, "url");
      checkName(functionName);
      if (handlers.containsKey(functionName) || endpoints.putIfAbsent(functionName, url) != null) {
        throw new IllegalArgumentException("Function " + functionName + " is already registered");
      }
      return this;
    }

    /** Limits how many invocations of one function run at once in one worker. */
    public Builder concurrency(String functionName, int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1");
      }
      limits.put(functionName, limit);
      return this;
    }

    /** The limit of functions without their own (default {@value TaskHandlers#DEFAULT_CONCURRENCY}). */
    public Builder defaultConcurrency(int limit) {
      if (limit < 1) {
        throw new IllegalArgumentException("concurrency must be >= 1");
      }
      this.defaultConcurrency = limit;
      return this;
    }

    /** Adds every function of another set (their limits too). */
    public Builder addAll(TaskHandlers other) {
      other.handlers.forEach(this::put);
      other.endpoints.forEach(this::endpoint);
      limits.putAll(other.limits);
      return this;
    }

    /** Returns the functions. */
    public TaskHandlers build() {
      return new TaskHandlers(this);
    }

    private static void checkName(String functionName) {
      Objects.requireNonNull(functionName, "functionName");
      if (!isFunctionName(functionName)) {
        throw new IllegalArgumentException(
            "A function name has 1 to 64 letters, digits, '-' and '_' (as Lambda's): " + functionName);
      }
    }

    private void put(String functionName, Invocable invocable) {
      checkName(functionName);
      if (endpoints.containsKey(functionName) || handlers.putIfAbsent(functionName, invocable) != null) {
        throw new IllegalArgumentException("Function " + functionName + " is already registered");
      }
    }
  }
}
