package io.stepstream.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code stepstream} executable. */
@Command(name = "stepstream", mixinStandardHelpOptions = true, version = "stepstream 0.1.0",
    description = "AWS Step Functions (Amazon States Language) workflows on Apache Kafka.",
    subcommands = {DevCommand.class, RunCommand.class, ValidateCommand.class, ReplayCommand.class,
        ProjectorCommand.class, PartitionsCommand.class})
public final class StepstreamCommand implements Runnable {

  @CommandLine.Spec
  private CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new StepstreamCommand()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
