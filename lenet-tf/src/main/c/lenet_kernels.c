/*
 * lenet's own TensorFlow kernels for the CPU, registered when TensorFlow loads this library
 * (dev.lenet.tf.kernels.TfKernels). Each does in one pass what the graph otherwise does in
 * several ops; each gives the graph's results bit for bit (the same float operations in the same
 * order), which lenet-tf's tests check against those ops.
 *
 * LenetAvgPool{Sigmoid,Tanh,Relu}Grad(y: [rows, 4G], dpool: [rows, G]) -> dx: [rows, 4G]
 *   The gradient of a convolution stage's products from that of its 2x2 average pool, through
 *   the activation: dx[r, q*G + c] = f'(y[r, q*G + c]) * (dpool[r, c] * 0.25), where y holds the
 *   activations in the blocked layout (each row's four column groups q are the four pixels of a
 *   pooling window) and f' is computed from the activation's output as TensorFlow's SigmoidGrad,
 *   TanhGrad and ReluGrad do. Replaces Mul, Tile and the activation's gradient op.
 *
 * LenetMaxPoolGrad(x: [rows, 4G], pooled: [rows, G], dpool: [rows, G]) -> dx: [rows, 4G]
 *   The gradient of a stage's values from that of its 2x2 max pool: all of dpool[r, c] to the
 *   first pixel q of the window (x[r, q*G + c]) that is not below pooled[r, c], zero to the
 *   others, as MaxPoolGrad picks. Computed with the graph's own float operations (lenet-tf's
 *   TfBlocked.poolGradient): open = dpool; for q < 3, still = open * (x < pooled ? 1 : 0),
 *   dx_q = open - still, open = still; dx_3 = open. Replaces Split, Less, Cast, Mul, Sub and
 *   ConcatV2.
 *
 * LenetScaleShift(x: [rows, C], scale: [C], shift: [C]) -> y: [rows, C]
 *   Batch normalization in training, y = x * scale + shift per column (two roundings, as
 *   TensorFlow's Mul and then Add). Replaces Mul and Add.
 *
 * LenetScaleShiftGrad(dy: [rows, C], x: [rows, C], scale: [C], perx: [C], offset: [C])
 *     -> dx: [rows, C]
 *   Its input's gradient, dx = (dy * scale + x * perx) + offset per column, rounded after each
 *   operation as TensorFlow's two Mul and two Add. Replaces those four ops.
 */
#include <stdio.h>

#include "tensorflow_kernel_api.h"

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
/* One build for every x86-64 CPU; the loader picks the widest vectors this one has. */
#define LENET_VECTORIZED __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define LENET_VECTORIZED
#endif

enum activation { SIGMOID, TANH, RELU };

/* The floats in one of Eigen's packets in TensorFlow's CPU kernels (AVX). TensorFlow's SigmoidGrad
   multiplies in one order on whole packets and in another on the elements after the last whole
   packet of the tensor; the kernel does the same, so that its results are TensorFlow's bit for
   bit (TfKernelsTest checks a tensor with such a tail). */
#define TENSORFLOW_PACKET_FLOATS 8

/* Each kernel's activation, handed to compute as its kernel object. */
static const enum activation ACTIVATIONS[] = {SIGMOID, TANH, RELU};

/* Each row: the quarter of the pool's gradient spread over the four pixels of each window,
   times the activation's derivative. The operations are those of TensorFlow's CPU kernels. */
LENET_VECTORIZED
static void pool_activation_rows(enum activation f, const float* restrict y,
                                 const float* restrict dpool, float* restrict dx, int64_t rows,
                                 int64_t groups) {
  int64_t width = 4 * groups;
  for (int64_t r = 0; r < rows; r++) {
    const float* dr = dpool + r * groups;
    for (int64_t q = 0; q < 4; q++) {
      const float* yq = y + r * width + q * groups;
      float* out = dx + r * width + q * groups;
      switch (f) {
        case SIGMOID:
          for (int64_t c = 0; c < groups; c++) {
            out[c] = (dr[c] * 0.25f) * (yq[c] * (1.0f - yq[c]));
          }
          break;
        case TANH:
          for (int64_t c = 0; c < groups; c++) {
            out[c] = (dr[c] * 0.25f) * (1.0f - yq[c] * yq[c]);
          }
          break;
        case RELU:
          for (int64_t c = 0; c < groups; c++) {
            out[c] = (dr[c] * 0.25f) * (yq[c] > 0.0f ? 1.0f : 0.0f);
          }
          break;
      }
    }
  }
  if (f == SIGMOID) {
    /* TensorFlow's order for the elements after the tensor's last whole packet. */
    int64_t total = rows * width;
    for (int64_t j = total - total % TENSORFLOW_PACKET_FLOATS; j < total; j++) {
      float d = dpool[(j / width) * groups + (j % width) % groups] * 0.25f;
      dx[j] = d * y[j] * (1.0f - y[j]);
    }
  }
}

/* Each row: the pool's gradient to the first largest pixel of each window, with the graph's ops
   in its order (open is what no pixel so far has taken). */
LENET_VECTORIZED
static void max_pool_rows(const float* restrict x, const float* restrict pooled,
                          const float* restrict dpool, float* restrict dx, int64_t rows,
                          int64_t groups) {
  int64_t width = 4 * groups;
  for (int64_t r = 0; r < rows; r++) {
    const float* m = pooled + r * groups;
    const float* d = dpool + r * groups;
    const float* x0 = x + r * width;
    const float* x1 = x0 + groups;
    const float* x2 = x1 + groups;
    float* out = dx + r * width;
    for (int64_t c = 0; c < groups; c++) {
      float open0 = d[c];
      float open1 = open0 * (x0[c] < m[c] ? 1.0f : 0.0f);
      float open2 = open1 * (x1[c] < m[c] ? 1.0f : 0.0f);
      float open3 = open2 * (x2[c] < m[c] ? 1.0f : 0.0f);
      out[c] = open0 - open1;
      out[groups + c] = open1 - open2;
      out[2 * groups + c] = open2 - open3;
      out[3 * groups + c] = open3;
    }
  }
}

/* Batch normalization's scale and shift of each row, x * scale + shift; given dy, its input
   gradient (dy * scale + x * perx) + shift, where shift is the gradient's offset. */
LENET_VECTORIZED
static void scale_shift_rows(const float* restrict dy, const float* restrict x,
                             const float* restrict scale, const float* restrict perx,
                             const float* restrict shift, float* restrict out, int64_t rows,
                             int64_t columns) {
  for (int64_t r = 0; r < rows; r++) {
    const float* xr = x + r * columns;
    float* o = out + r * columns;
    if (dy == NULL) {
      for (int64_t c = 0; c < columns; c++) {
        o[c] = xr[c] * scale[c] + shift[c];
      }
    } else {
      const float* dr = dy + r * columns;
      for (int64_t c = 0; c < columns; c++) {
        o[c] = (dr[c] * scale[c] + xr[c] * perx[c]) + shift[c];
      }
    }
  }
}

static void* create_sigmoid(TF_OpKernelConstruction* construction) {
  (void)construction;
  return (void*)&ACTIVATIONS[SIGMOID];
}

static void* create_tanh(TF_OpKernelConstruction* construction) {
  (void)construction;
  return (void*)&ACTIVATIONS[TANH];
}

static void* create_relu(TF_OpKernelConstruction* construction) {
  (void)construction;
  return (void*)&ACTIVATIONS[RELU];
}

static void destroy(void* kernel) { (void)kernel; }

static void fail(TF_OpKernelContext* context, TF_Status* status, const char* message) {
  TF_SetStatus(status, TF_CODE_INVALID_ARGUMENT, message);
  TF_OpKernelContext_Failure(context, status);
}

static void delete_tensor(TF_Tensor* tensor) {
  if (tensor != NULL) {
    TF_DeleteTensor(tensor);
  }
}

static void compute_pool_activation(void* kernel, TF_OpKernelContext* context) {
  enum activation f = *(const enum activation*)kernel;
  TF_Status* status = TF_NewStatus();
  TF_Tensor* y = NULL;
  TF_Tensor* dpool = NULL;
  TF_Tensor* dx = NULL;
  TF_GetInput(context, 0, &y, status);
  if (TF_GetCode(status) == TF_CODE_OK) {
    TF_GetInput(context, 1, &dpool, status);
  }
  if (TF_GetCode(status) != TF_CODE_OK) {
    TF_OpKernelContext_Failure(context, status);
  } else if (TF_NumDims(y) != 2 || TF_NumDims(dpool) != 2) {
    char message[256];
    snprintf(message, sizeof message,
             "the average pool's gradient needs activations [rows, 4G] and a pool gradient "
             "[rows, G]; found tensors of rank %d and %d",
             TF_NumDims(y), TF_NumDims(dpool));
    fail(context, status, message);
  } else if (TF_Dim(y, 0) != TF_Dim(dpool, 0) || TF_Dim(y, 1) != 4 * TF_Dim(dpool, 1)) {
    char message[256];
    snprintf(message, sizeof message,
             "the average pool's gradient needs activations [rows, 4G] and a pool gradient "
             "[rows, G]; found [%lld, %lld] and [%lld, %lld]",
             (long long)TF_Dim(y, 0), (long long)TF_Dim(y, 1), (long long)TF_Dim(dpool, 0),
             (long long)TF_Dim(dpool, 1));
    fail(context, status, message);
  } else {
    int64_t dims[2] = {TF_Dim(y, 0), TF_Dim(y, 1)};
    dx = TF_AllocateOutput(context, 0, TF_FLOAT_TYPE, dims, 2,
                           sizeof(float) * (size_t)(dims[0] * dims[1]), status);
    if (TF_GetCode(status) != TF_CODE_OK) {
      TF_OpKernelContext_Failure(context, status);
    } else {
      pool_activation_rows(f, TF_TensorData(y), TF_TensorData(dpool), TF_TensorData(dx), dims[0],
                           TF_Dim(dpool, 1));
    }
  }
  delete_tensor(y);
  delete_tensor(dpool);
  delete_tensor(dx);
  TF_DeleteStatus(status);
}

/* Whether x is [rows, 4G] and pooled and dpool are [rows, G]; if not, a message naming the
   shapes. */
static int max_pool_shapes_agree(TF_Tensor* x, TF_Tensor* pooled, TF_Tensor* dpool, char* message,
                                 size_t size) {
  if (TF_NumDims(x) != 2 || TF_NumDims(pooled) != 2 || TF_NumDims(dpool) != 2) {
    snprintf(message, size,
             "the max pool's gradient needs values [rows, 4G], their pool [rows, G] and its "
             "gradient [rows, G]; found tensors of rank %d, %d and %d",
             TF_NumDims(x), TF_NumDims(pooled), TF_NumDims(dpool));
    return 0;
  }
  if (TF_Dim(x, 0) != TF_Dim(pooled, 0) || TF_Dim(x, 1) != 4 * TF_Dim(pooled, 1) ||
      TF_Dim(dpool, 0) != TF_Dim(pooled, 0) || TF_Dim(dpool, 1) != TF_Dim(pooled, 1)) {
    snprintf(message, size,
             "the max pool's gradient needs values [rows, 4G], their pool [rows, G] and its "
             "gradient [rows, G]; found [%lld, %lld], [%lld, %lld] and [%lld, %lld]",
             (long long)TF_Dim(x, 0), (long long)TF_Dim(x, 1), (long long)TF_Dim(pooled, 0),
             (long long)TF_Dim(pooled, 1), (long long)TF_Dim(dpool, 0),
             (long long)TF_Dim(dpool, 1));
    return 0;
  }
  return 1;
}

static void compute_max_pool(void* kernel, TF_OpKernelContext* context) {
  (void)kernel;
  TF_Status* status = TF_NewStatus();
  TF_Tensor* inputs[3] = {NULL, NULL, NULL};
  TF_Tensor* dx = NULL;
  for (int i = 0; i < 3 && TF_GetCode(status) == TF_CODE_OK; i++) {
    TF_GetInput(context, i, &inputs[i], status);
  }
  char message[320];
  if (TF_GetCode(status) != TF_CODE_OK) {
    TF_OpKernelContext_Failure(context, status);
  } else if (!max_pool_shapes_agree(inputs[0], inputs[1], inputs[2], message, sizeof message)) {
    fail(context, status, message);
  } else {
    int64_t dims[2] = {TF_Dim(inputs[0], 0), TF_Dim(inputs[0], 1)};
    dx = TF_AllocateOutput(context, 0, TF_FLOAT_TYPE, dims, 2,
                           sizeof(float) * (size_t)(dims[0] * dims[1]), status);
    if (TF_GetCode(status) != TF_CODE_OK) {
      TF_OpKernelContext_Failure(context, status);
    } else {
      max_pool_rows(TF_TensorData(inputs[0]), TF_TensorData(inputs[1]), TF_TensorData(inputs[2]),
                    TF_TensorData(dx), dims[0], TF_Dim(inputs[1], 1));
    }
  }
  for (int i = 0; i < 3; i++) {
    delete_tensor(inputs[i]);
  }
  delete_tensor(dx);
  TF_DeleteStatus(status);
}

static void* create_max_pool(TF_OpKernelConstruction* construction) {
  (void)construction;
  return NULL;
}

/* LenetScaleShift's inputs x, scale, shift; LenetScaleShiftGrad's dy, x, scale, perx, offset. */
enum scale_shift { FORWARD, GRADIENT };
static const enum scale_shift SCALE_SHIFTS[] = {FORWARD, GRADIENT};

static void* create_scale_shift(TF_OpKernelConstruction* construction) {
  (void)construction;
  return (void*)&SCALE_SHIFTS[FORWARD];
}

static void* create_scale_shift_grad(TF_OpKernelConstruction* construction) {
  (void)construction;
  return (void*)&SCALE_SHIFTS[GRADIENT];
}

/* Whether the first `matrices` tensors are one [rows, C] shape and the others [C]; if not, a
   message naming the shapes. */
static int scale_shift_shapes_agree(TF_Tensor** inputs, int matrices, int count, char* message,
                                    size_t size) {
  int agree = TF_NumDims(inputs[0]) == 2;
  for (int i = 0; i < count && agree; i++) {
    if (i < matrices) {
      agree = TF_NumDims(inputs[i]) == 2 && TF_Dim(inputs[i], 0) == TF_Dim(inputs[0], 0) &&
              TF_Dim(inputs[i], 1) == TF_Dim(inputs[0], 1);
    } else {
      agree = TF_NumDims(inputs[i]) == 1 && TF_Dim(inputs[i], 0) == TF_Dim(inputs[0], 1);
    }
  }
  if (agree) {
    return 1;
  }
  int written = snprintf(message, size,
                         "batch norm's scale and shift need values [rows, C] and vectors [C]; "
                         "found");
  for (int i = 0; i < count && written > 0 && (size_t)written < size; i++) {
    int dims = TF_NumDims(inputs[i]);
    written += snprintf(message + written, size - (size_t)written, "%s [", i == 0 ? "" : ",");
    for (int d = 0; d < dims && (size_t)written < size; d++) {
      written += snprintf(message + written, size - (size_t)written, "%s%lld", d == 0 ? "" : ", ",
                          (long long)TF_Dim(inputs[i], d));
    }
    if ((size_t)written < size) {
      written += snprintf(message + written, size - (size_t)written, "]");
    }
  }
  return 0;
}

static void compute_scale_shift(void* kernel, TF_OpKernelContext* context) {
  enum scale_shift f = *(const enum scale_shift*)kernel;
  int matrices = f == FORWARD ? 1 : 2;
  int count = f == FORWARD ? 3 : 5;
  TF_Status* status = TF_NewStatus();
  TF_Tensor* inputs[5] = {NULL, NULL, NULL, NULL, NULL};
  TF_Tensor* out = NULL;
  for (int i = 0; i < count && TF_GetCode(status) == TF_CODE_OK; i++) {
    TF_GetInput(context, i, &inputs[i], status);
  }
  char message[320];
  if (TF_GetCode(status) != TF_CODE_OK) {
    TF_OpKernelContext_Failure(context, status);
  } else if (!scale_shift_shapes_agree(inputs, matrices, count, message, sizeof message)) {
    fail(context, status, message);
  } else {
    int64_t dims[2] = {TF_Dim(inputs[0], 0), TF_Dim(inputs[0], 1)};
    out = TF_AllocateOutput(context, 0, TF_FLOAT_TYPE, dims, 2,
                            sizeof(float) * (size_t)(dims[0] * dims[1]), status);
    if (TF_GetCode(status) != TF_CODE_OK) {
      TF_OpKernelContext_Failure(context, status);
    } else if (f == FORWARD) {
      scale_shift_rows(NULL, TF_TensorData(inputs[0]), TF_TensorData(inputs[1]), NULL,
                       TF_TensorData(inputs[2]), TF_TensorData(out), dims[0], dims[1]);
    } else {
      scale_shift_rows(TF_TensorData(inputs[0]), TF_TensorData(inputs[1]),
                       TF_TensorData(inputs[2]), TF_TensorData(inputs[3]),
                       TF_TensorData(inputs[4]), TF_TensorData(out), dims[0], dims[1]);
    }
  }
  for (int i = 0; i < count; i++) {
    delete_tensor(inputs[i]);
  }
  delete_tensor(out);
  TF_DeleteStatus(status);
}

/* The output has the activations' shape. */
static void same_shape_as_first_input(TF_ShapeInferenceContext* context, TF_Status* status) {
  TF_ShapeHandle* shape = TF_NewShapeHandle();
  TF_ShapeInferenceContextGetInput(context, 0, shape, status);
  if (TF_GetCode(status) == TF_CODE_OK) {
    TF_ShapeInferenceContextSetOutput(context, 0, shape, status);
  }
  TF_DeleteShapeHandle(shape);
}

/* Registers an op of float inputs and one float output of the first input's shape. */
static void register_op(const char* name, const char* const* inputs, int input_count,
                        const char* output,
                        void* (*create)(TF_OpKernelConstruction*),
                        void (*compute)(void*, TF_OpKernelContext*)) {
  TF_Status* status = TF_NewStatus();
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(name);
  for (int i = 0; i < input_count; i++) {
    TF_OpDefinitionBuilderAddInput(op, inputs[i]);
  }
  TF_OpDefinitionBuilderAddOutput(op, output);
  TF_OpDefinitionBuilderSetShapeInferenceFunction(op, same_shape_as_first_input);
  TF_RegisterOpDefinition(op, status);
  if (TF_GetCode(status) == TF_CODE_OK) {
    TF_KernelBuilder* kernel = TF_NewKernelBuilder(name, "CPU", create, compute, destroy);
    TF_RegisterKernelBuilder(name, kernel, status);
  }
  if (TF_GetCode(status) != TF_CODE_OK) {
    fprintf(stderr, "lenet: registering %s failed (TensorFlow status %d)\n", name,
            TF_GetCode(status));
  }
  TF_DeleteStatus(status);
}

/* Runs when TensorFlow loads the library: TF_LoadLibrary collects the ops registered then. */
__attribute__((constructor)) static void register_kernels(void) {
  static const char* const pool_activation[] = {"y: float", "dpool: float"};
  register_op("LenetAvgPoolSigmoidGrad", pool_activation, 2, "dx: float", create_sigmoid,
              compute_pool_activation);
  register_op("LenetAvgPoolTanhGrad", pool_activation, 2, "dx: float", create_tanh,
              compute_pool_activation);
  register_op("LenetAvgPoolReluGrad", pool_activation, 2, "dx: float", create_relu,
              compute_pool_activation);
  static const char* const max_pool[] = {"x: float", "pooled: float", "dpool: float"};
  register_op("LenetMaxPoolGrad", max_pool, 3, "dx: float", create_max_pool, compute_max_pool);
  static const char* const scale_shift[] = {"x: float", "scale: float", "shift: float"};
  register_op("LenetScaleShift", scale_shift, 3, "y: float", create_scale_shift,
              compute_scale_shift);
  static const char* const scale_shift_grad[] = {"dy: float", "x: float", "scale: float",
                                                 "perx: float", "offset: float"};
  register_op("LenetScaleShiftGrad", scale_shift_grad, 5, "dx: float", create_scale_shift_grad,
              compute_scale_shift);
}
