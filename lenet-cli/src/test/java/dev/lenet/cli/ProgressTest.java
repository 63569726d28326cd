package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.train.BatchProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The terminal bar and the lines around it. */
class ProgressTest {

  /** A run that fails mid-epoch ends the bar's line, so its error starts on a line of its own. */
  @Test
  void aStoppedRunEndsTheBarsLine() {
    StringWriter out = new StringWriter();
    Progress progress = new Progress(new PrintWriter(out), true, 1);
    progress.onBatch(new BatchProgress(1, 1, 235, 256, 2.5, 0.1, 0.02));
    assertThat(out.toString()).startsWith("\repoch 1/1 [").doesNotEndWith("\n");
    progress.stopped();
    assertThat(out.toString()).endsWith(" left \n");
    progress.stopped();
    assertThat(out.toString()).endsWith(" left \n").doesNotEndWith("\n\n");
  }

  @Test
  void withNoBarOnScreenStoppingPrintsNothing() {
    StringWriter out = new StringWriter();
    new Progress(new PrintWriter(out), true, 1).stopped();
    new Progress(new PrintWriter(out), false, 1).stopped();
    assertThat(out.toString()).isEmpty();
  }
}
