/**
 * An embeddable HTTP server that answers TensorFlow Serving's REST API for saved lenet models:
 * {@link dev.lenet.serve.LenetServer}.
 *
 * <p>HTTP is Javalin 7 on Jetty 12: a small, maintained library that targets Java 17 (the project's
 * release), starts in-process without a container, binds a chosen host and port (0 for any free
 * port in tests), and leaves JSON to us, so requests and answers are Jackson trees as in the rest
 * of the project. No HTTP parsing is written here.
 */
package dev.lenet.serve;
