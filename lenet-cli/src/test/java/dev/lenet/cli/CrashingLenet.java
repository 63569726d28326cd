package dev.lenet.cli;

import dev.lenet.api.train.HaltAt;
import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The {@code lenet} command line in a JVM that halts as after {@code kill -9} when a checkpoint
 * write of {@code train} reaches a stage: {@code CrashingLenet STAGE:EPOCH ARGS...} (see {@link
 * HaltAt}), run by {@link ResumeTest} in a process of its own.
 */
public final class CrashingLenet {

  private CrashingLenet() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    String[] lenetArgs = Arrays.copyOfRange(args, 1, args.length);
    System.exit(Lenet.run(lenetArgs, out, err, false, HaltAt.parse(args[0])));
  }
}
