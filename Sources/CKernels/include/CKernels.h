// Matrix kernels over GGUF block formats, for the model runtime's decoding path.
//
// A decode step multiplies a few activation rows by every weight matrix, so its speed is set by
// the bytes of weights it reads: 0.625 per weight in Q4_1 and 1.06 in Q8_0, against 4 in fp32.
// These kernels read the weights in their block format and expand each block to fp32 in
// registers (value = d · q, or d · q + m), then multiply by the fp32 activations with fused
// multiply-adds: the products are those of the fp32 path on the dequantized weights, summed in
// another order. On CPUs with AVX2, FMA and F16C the vector kernels run (chosen at run time);
// elsewhere a scalar version computes the same sums.
#ifndef CURATE_KERNELS_H
#define CURATE_KERNELS_H

#include <stdint.h>

#define CURATE_QK 32

/// GGUF's Q8_0 block: value i = d · qs[i]. 34 bytes.
typedef struct {
    uint16_t d;  // fp16
    int8_t qs[CURATE_QK];
} curate_block_q8_0;

/// GGUF's Q4_1 block: value i = d · q_i + m, q_i in 0…15; qs[j] holds q_j in its low nibble and
/// q_{j+16} in its high nibble. 20 bytes.
typedef struct {
    uint16_t d;  // fp16
    uint16_t m;  // fp16
    uint8_t qs[CURATE_QK / 2];
} curate_block_q4_1;

/// Quantizes `n` weights (a multiple of 32) to GGUF Q8_0 blocks, as ggml's quantize_row_q8_0_ref.
void curate_quantize_q8_0(const float *x, curate_block_q8_0 *y, int64_t n);

/// y[r · ldy + o] = Σ_k W[o, k] · x[r · inputs + k] for outputs o in [o_begin, o_end) and rows r
/// in [0, rows). W is [outputs, inputs / 32] blocks, row-major; x is [rows, inputs] fp32.
void curate_matmul_q8_0(const curate_block_q8_0 *w, const float *x, int64_t inputs,
                        int64_t o_begin, int64_t o_end, int64_t rows, float *y, int64_t ldy);
void curate_matmul_q4_1(const curate_block_q4_1 *w, const float *x, int64_t inputs,
                        int64_t o_begin, int64_t o_end, int64_t rows, float *y, int64_t ldy);

/// 1 when the AVX2 + FMA + F16C kernels run on this CPU. Call once before using the kernels
/// from several threads.
int curate_kernels_vectorized(void);

/// Forces the scalar kernels (1) or lets the CPU decide (0), so tests can compare both paths.
void curate_kernels_force_scalar(int force);

#endif
