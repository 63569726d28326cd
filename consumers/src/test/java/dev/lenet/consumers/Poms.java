package dev.lenet.consumers;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** Reads the few things the tests compare out of POM files. */
final class Poms {

  /** The repository's root directory (the tests run in {@code consumers/}). */
  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  private Poms() {}

  static Element read(Path pom) throws IOException {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
      return doc.getDocumentElement();
    } catch (ParserConfigurationException | SAXException e) {
      throw new IOException(pom + ": " + e.getMessage(), e);
    }
  }

  /** The child elements of {@code parent} named {@code name}. */
  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        found.add(e);
      }
    }
    return found;
  }

  /** The text of the child {@code name}, or null if there is none. */
  static String text(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? null : found.get(0).getTextContent().trim();
  }

  /**
   * The {@code dependencyManagement} entries as {@code group:artifact:version[:classifier]}, with
   * {@code ${...}} left as written.
   */
  static List<String> managed(Element project) {
    List<String> entries = new ArrayList<>();
    for (Element management : children(project, "dependencyManagement")) {
      for (Element dependencies : children(management, "dependencies")) {
        for (Element d : children(dependencies, "dependency")) {
          String classifier = text(d, "classifier");
          entries.add(
              text(d, "groupId")
                  + ":"
                  + text(d, "artifactId")
                  + ":"
                  + text(d, "version")
                  + (classifier == null ? "" : ":" + classifier));
        }
      }
    }
    return entries;
  }

  /** The value of {@code <properties><name>}. */
  static String property(Element project, String name) {
    for (Element properties : children(project, "properties")) {
      String value = text(properties, name);
      if (value != null) {
        return value;
      }
    }
    throw new AssertionError("no property " + name);
  }
}
