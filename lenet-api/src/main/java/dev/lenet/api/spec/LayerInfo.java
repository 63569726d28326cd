package dev.lenet.api.spec;

/**
 * What shape inference found for one layer of a {@link ModelSpec}.
 *
 * @param number the layer's position, counted from 1 as in error messages and summaries
 * @param layer the layer
 * @param inputShape the shape of one example entering the layer
 * @param outputShape the shape of one example leaving it
 * @param parameters trainable scalars the layer holds
 */
public record LayerInfo(
    int number, Layer layer, Shape inputShape, Shape outputShape, long parameters) {}
