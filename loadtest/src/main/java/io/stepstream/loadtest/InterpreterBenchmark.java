package io.stepstream.loadtest;

import io.stepstream.asl.definition.StateMachineDefinition;
import io.stepstream.asl.interpreter.Interpreter;
import io.stepstream.proto.Command;
import io.stepstream.proto.ExecutionState;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Whole executions of the in-memory interpreter on one thread: one op is one StartExecution
 * processed from an empty state to SUCCEEDED (all events, state and effects built), so ops/s is
 * executions/s. Definitions are compiled once in setup, as the server compiles at
 * CreateStateMachine. Run it from the shaded jar; see docs/benchmarks.md.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class InterpreterBenchmark {

  /** One workflow ready to run: its interpreter, compiled definition and start command. */
  public abstract static class Prepared {
    Interpreter interpreter;
    StateMachineDefinition definition;
    Command start;

    void prepare(Workflows workflow) {
      interpreter = Workflows.interpreter();
      definition = workflow.compile();
      start = workflow.startCommand();
      workflow.runOnceChecked(interpreter, definition);
    }
  }

  /** {@link Workflows#PASS_CHOICE_JSONPATH}. */
  @State(Scope.Thread)
  public static class PassChoiceJsonPath extends Prepared {
    /** Compiles the workflow and checks one execution succeeds. */
    @Setup(Level.Trial)
    public void setUp() {
      prepare(Workflows.PASS_CHOICE_JSONPATH);
    }
  }

  /** {@link Workflows#PASS_CHOICE_JSONATA}. */
  @State(Scope.Thread)
  public static class PassChoiceJsonata extends Prepared {
    /** Compiles the workflow and checks one execution succeeds. */
    @Setup(Level.Trial)
    public void setUp() {
      prepare(Workflows.PASS_CHOICE_JSONATA);
    }
  }

  /** {@link Workflows#MAP_100_PASS}. */
  @State(Scope.Thread)
  public static class Map100Pass extends Prepared {
    /** Compiles the workflow and checks one execution succeeds. */
    @Setup(Level.Trial)
    public void setUp() {
      prepare(Workflows.MAP_100_PASS);
    }
  }

  /** The 5-state Pass/Choice workflow in JSONPath; the figure the 200,000/s target is about. */
  @Benchmark
  public void passChoice5States(PassChoiceJsonPath run, Blackhole sink) {
    sink.consume(run.interpreter.process(ExecutionState.getDefaultInstance(), run.start, run.definition));
  }

  /** The same workflow in JSONata. */
  @Benchmark
  public void passChoice5StatesJsonata(PassChoiceJsonata run, Blackhole sink) {
    sink.consume(run.interpreter.process(ExecutionState.getDefaultInstance(), run.start, run.definition));
  }

  /** An inline Map of 100 items, one Pass state each. */
  @Benchmark
  public void inlineMap100Pass(Map100Pass run, Blackhole sink) {
    sink.consume(run.interpreter.process(ExecutionState.getDefaultInstance(), run.start, run.definition));
  }
}
