/*
 * The functions of TensorFlow's C API for kernels and op definitions (tensorflow/c/kernels.h,
 * tensorflow/c/ops.h, tensorflow/c/tf_status.h, tensorflow/c/tf_tensor.h) that lenet_kernels.c
 * calls, declared here because TensorFlow Java's native jar ships the library
 * (libtensorflow_framework.so.2, which exports them) without its headers. That API is TensorFlow's
 * stable C ABI for kernels loaded with TF_LoadLibrary (TensorFlow.loadLibrary in Java).
 */
#ifndef LENET_TENSORFLOW_KERNEL_API_H
#define LENET_TENSORFLOW_KERNEL_API_H

#include <stddef.h>
#include <stdint.h>

typedef struct TF_Status TF_Status;
typedef struct TF_Tensor TF_Tensor;
typedef struct TF_KernelBuilder TF_KernelBuilder;
typedef struct TF_OpKernelConstruction TF_OpKernelConstruction;
typedef struct TF_OpKernelContext TF_OpKernelContext;
typedef struct TF_OpDefinitionBuilder TF_OpDefinitionBuilder;
typedef struct TF_ShapeInferenceContext TF_ShapeInferenceContext;
typedef struct TF_ShapeHandle TF_ShapeHandle;

/* TF_DataType and TF_Code values used here. */
enum { TF_FLOAT_TYPE = 1 };
enum { TF_CODE_OK = 0, TF_CODE_INVALID_ARGUMENT = 3 };

TF_Status* TF_NewStatus(void);
void TF_DeleteStatus(TF_Status* status);
int TF_GetCode(const TF_Status* status);
void TF_SetStatus(TF_Status* status, int code, const char* message);

int TF_NumDims(const TF_Tensor* tensor);
int64_t TF_Dim(const TF_Tensor* tensor, int index);
void* TF_TensorData(const TF_Tensor* tensor);
void TF_DeleteTensor(TF_Tensor* tensor);

TF_KernelBuilder* TF_NewKernelBuilder(
    const char* op_name, const char* device_name,
    void* (*create)(TF_OpKernelConstruction* construction),
    void (*compute)(void* kernel, TF_OpKernelContext* context), void (*destroy)(void* kernel));
void TF_RegisterKernelBuilder(const char* kernel_name, TF_KernelBuilder* builder,
                              TF_Status* status);
void TF_GetInput(TF_OpKernelContext* context, int index, TF_Tensor** tensor, TF_Status* status);
TF_Tensor* TF_AllocateOutput(TF_OpKernelContext* context, int index, int data_type,
                             const int64_t* dims, int num_dims, size_t bytes, TF_Status* status);
void TF_OpKernelContext_Failure(TF_OpKernelContext* context, TF_Status* status);

TF_OpDefinitionBuilder* TF_NewOpDefinitionBuilder(const char* op_name);
void TF_OpDefinitionBuilderAddInput(TF_OpDefinitionBuilder* builder, const char* spec);
void TF_OpDefinitionBuilderAddOutput(TF_OpDefinitionBuilder* builder, const char* spec);
void TF_OpDefinitionBuilderSetShapeInferenceFunction(
    TF_OpDefinitionBuilder* builder,
    void (*infer)(TF_ShapeInferenceContext* context, TF_Status* status));
void TF_RegisterOpDefinition(TF_OpDefinitionBuilder* builder, TF_Status* status);

TF_ShapeHandle* TF_NewShapeHandle(void);
void TF_DeleteShapeHandle(TF_ShapeHandle* handle);
void TF_ShapeInferenceContextGetInput(TF_ShapeInferenceContext* context, int index,
                                      TF_ShapeHandle* handle, TF_Status* status);
void TF_ShapeInferenceContextSetOutput(TF_ShapeInferenceContext* context, int index,
                                       TF_ShapeHandle* handle, TF_Status* status);

#endif
