package dev.lenet.consumers;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Keeps lenet-bom, a standalone POM, in step with the build it describes. */
class BomTest {

  private static final Path BOM = Poms.ROOT.resolve("lenet-bom/pom.xml");
  private static final Path PARENT = Poms.ROOT.resolve("pom.xml");

  @Test
  void hasTheBuildsVersionAndItsTensorFlowVersion() throws Exception {
    Element bom = Poms.read(BOM);
    Element parent = Poms.read(PARENT);
    assertThat(Poms.text(bom, "version")).isEqualTo(System.getProperty("lenet.version"));
    assertThat(Poms.text(bom, "version")).isEqualTo(Poms.text(parent, "version"));
    assertThat(Poms.property(bom, "tensorflow.version"))
        .as("lenet-bom's tensorflow.version against the root pom's")
        .isEqualTo(Poms.property(parent, "tensorflow.version"));
  }

  @Test
  void managesEveryLibraryModuleTheBuildManagesAndTensorFlow() throws Exception {
    List<String> bom = Poms.managed(Poms.read(BOM));
    List<String> ours =
        Poms.managed(Poms.read(PARENT)).stream()
            .filter(d -> d.startsWith("dev.lenet:"))
            .collect(Collectors.toList());
    assertThat(ours).isNotEmpty();
    assertThat(bom)
        .containsExactlyInAnyOrder(
            "dev.lenet:lenet-api:${project.version}",
            "dev.lenet:lenet-tf:${project.version}",
            "dev.lenet:lenet-serve:${project.version}",
            "dev.lenet:lenet-spark:${project.version}",
            "org.tensorflow:tensorflow-core-api:${tensorflow.version}",
            "org.tensorflow:tensorflow-framework:${tensorflow.version}",
            "org.tensorflow:tensorflow-core-native:${tensorflow.version}",
            "org.tensorflow:tensorflow-core-native:${tensorflow.version}:linux-x86_64",
            "org.tensorflow:tensorflow-core-native:${tensorflow.version}:linux-x86_64-gpu");
    assertThat(bom).as("the library modules the root pom manages").containsAll(ours);
  }

  @Test
  void carriesTheRootPomsMetadataForMavenCentral() throws Exception {
    // The release profile checks the root pom's; the standalone BOM must say the same.
    Element bom = Poms.read(BOM);
    Element parent = Poms.read(PARENT);
    for (String name : List.of("url", "licenses", "developers", "scm")) {
      assertThat(Poms.children(bom, name)).as(name).hasSize(1);
      assertThat(flat(Poms.children(bom, name).get(0)))
          .as("lenet-bom's <%s> against the root pom's", name)
          .isEqualTo(flat(Poms.children(parent, name).get(0)));
    }
    for (String property : List.of("lenet.url", "lenet.scm.connection")) {
      assertThat(Poms.property(bom, property))
          .as(property)
          .isEqualTo(Poms.property(parent, property));
    }
  }

  /** An element's text with its whitespace collapsed. */
  private static String flat(Element element) {
    return element.getTextContent().trim().replaceAll("\\s+", " ");
  }

  @Test
  void importsNothingOfTheBuildsOwn() throws Exception {
    // An imported POM brings its inherited dependencyManagement too: no parent, so that
    // consumers do not get our JUnit, Jackson, Spark... versions.
    Element bom = Poms.read(BOM);
    assertThat(Poms.children(bom, "parent")).isEmpty();
    assertThat(Poms.managed(bom))
        .allMatch(d -> d.startsWith("dev.lenet:") || d.startsWith("org.tensorflow:"));
  }
}
