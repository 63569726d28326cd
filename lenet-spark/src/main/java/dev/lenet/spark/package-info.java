/**
 * Classifying a column of images on Apache Spark with a saved lenet model: {@link
 * dev.lenet.spark.LenetClassifier}, a Spark ML {@code Transformer}.
 *
 * <p>Built against Spark 4.1 with Scala 2.13, in {@code provided} scope: the cluster supplies
 * Spark. Spark 4 rather than 3.5 because Java 17 is its baseline (3.5 supports 17 but was built for
 * 8 and 11), Scala 2.13 is its only build, and its Jackson (2.20) is close to the project's, so
 * lenet's spec JSON runs on the Jackson Spark puts on the class path; the module's tests run on
 * exactly that Jackson. Spark 4 needs Java 17 or later on the driver and on every executor.
 */
package dev.lenet.spark;
