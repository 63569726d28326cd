package dev.lenet.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * README.md's POM snippets are the consumer projects' POMs: the block between {@code <!--
 * readme:NAME -->} and {@code <!-- readme:end -->}, unindented, with the version being built.
 */
class ReadmeSnippetsTest {

  private static final Pattern BLOCK =
      Pattern.compile(
          "\\n( *)<!-- readme:([\\w-]+) -->\\n(.*?)\\n *<!-- readme:end -->", Pattern.DOTALL);

  @ParameterizedTest
  @ValueSource(strings = {"src/it/tf-app", "src/it/api-app", "src/it-gpu/gpu-app"})
  void readmeShowsTheConsumersPom(String project) throws IOException {
    String snippet = snippet(Path.of(project, "pom.xml"));
    String readme = Files.readString(Poms.ROOT.resolve("README.md"));
    assertThat(readme).contains("```xml\n" + snippet + "\n```\n");
  }

  static String snippet(Path pom) throws IOException {
    Matcher m = BLOCK.matcher(Files.readString(pom));
    assertThat(m.find()).as(pom + " has a readme: block").isTrue();
    String indent = m.group(1);
    String version = System.getProperty("lenet.version");
    List<String> lines =
        m.group(3)
            .lines()
            .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
            .map(line -> line.replace("@project.version@", version))
            .collect(Collectors.toList());
    return String.join("\n", lines);
  }
}
