package io.stateweave.manager.cli;

import io.stateweave.manager.client.BadRequestException;
import io.stateweave.manager.client.ConflictException;
import io.stateweave.manager.client.NotFoundException;
import io.stateweave.manager.client.ServerException;
import io.stateweave.manager.client.StateweaveException;
import io.stateweave.manager.client.UnauthorizedException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stateweave} command: {@code serve} runs the manager; the other commands are its
 * client. A refusal prints the manager's message and exits with the code of its class.
 */
@Command(
    name = "stateweave",
    mixinStandardHelpOptions = true,
    description = "Manages Stateweave jobs on a Flink cluster.",
    subcommands = {
      ServeCommand.class,
      ClientCommands.Create.class,
      ClientCommands.Start.class,
      ClientCommands.Stop.class,
      ClientCommands.Show.class,
      ClientCommands.Drop.class,
      ClientCommands.Savepoints.class,
      ClientCommands.Restart.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:the manager could not be reached, or failed unexpectedly",
      "2:wrong command line",
      "3:bad definition or request (400)",
      "4:unknown definition or savepoint (404)",
      "5:name exists, or running / not running (409)",
      "6:the cluster failed (500)",
      "7:token missing or wrong (401)"
    })
public final class StateweaveCli {
  static final int UNREACHABLE = 1;
  static final int BAD_REQUEST = 3;
  static final int NOT_FOUND = 4;
  static final int CONFLICT = 5;
  static final int SERVER = 6;
  static final int UNAUTHORIZED = 7;

  private StateweaveCli() {}

  public static void main(String[] args) {
    int exitCode = commandLine().execute(args);
    // serve keeps running on its own threads; everything else is done here
    if (exitCode != ServeCommand.SERVING) {
      System.exit(exitCode);
    }
  }

  /** The command line, with refusals turned into a message and their class's exit code. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(StateweaveCli.class);
    commandLine.setExecutionExceptionHandler(
        (error, cmd, parsed) -> {
          if (error instanceof StateweaveException refusal) {
            cmd.getErr().println("stateweave: " + refusal.getMessage());
            return exitCode(refusal);
          }
          if (error instanceof UncheckedIOException unreachable) {
            cmd.getErr().println("stateweave: " + unreachable.getMessage());
            return UNREACHABLE;
          }
          throw error;
        });
    return commandLine;
  }

  static int exitCode(StateweaveException refusal) {
    if (refusal instanceof BadRequestException) {
      return BAD_REQUEST;
    }
    if (refusal instanceof NotFoundException) {
      return NOT_FOUND;
    }
    if (refusal instanceof ConflictException) {
      return CONFLICT;
    }
    if (refusal instanceof UnauthorizedException) {
      return UNAUTHORIZED;
    }
    if (refusal instanceof ServerException) {
      return SERVER;
    }
    return UNREACHABLE;
  }
}
