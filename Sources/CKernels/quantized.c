#include "CKernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define CURATE_X86 1
#endif

// MARK: fp16

static float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1F;
    uint32_t mantissa = h & 0x3FF;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: renormalize
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400) == 0) { mantissa <<= 1; exponent--; }
            bits = sign | (exponent << 23) | ((mantissa & 0x3FF) << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7F800000 | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

static uint16_t float_to_half(float f) {  // round to nearest even, as Swift's Float16(f)
    uint32_t x;
    memcpy(&x, &f, sizeof x);
    uint32_t sign = (x >> 16) & 0x8000;
    uint32_t abs = x & 0x7FFFFFFF;
    if (abs >= 0x7F800000) return (uint16_t)(sign | 0x7C00 | (abs > 0x7F800000 ? 0x200 : 0));
    if (abs >= 0x477FF000) return (uint16_t)(sign | 0x7C00);  // rounds to infinity
    if (abs < 0x38800000) {  // subnormal or zero in fp16: the value is m16 · 2^-24
        if (abs < 0x33000000) return (uint16_t)sign;
        uint32_t e = abs >> 23, m = (abs & 0x7FFFFF) | 0x800000;
        uint32_t shift = 126 - e;
        uint32_t result = m >> shift;
        uint32_t rest = m & ((1u << shift) - 1), halfway = 1u << (shift - 1);
        if (rest > halfway || (rest == halfway && (result & 1))) result++;
        return (uint16_t)(sign | result);
    }
    uint32_t result = (abs >> 13) - (112u << 10);  // rebias the exponent from 127 to 15
    uint32_t rest = abs & 0x1FFF;
    if (rest > 0x1000 || (rest == 0x1000 && (result & 1))) result++;
    return (uint16_t)(sign | result);
}

void curate_quantize_q8_0(const float *x, curate_block_q8_0 *y, int64_t n) {
    for (int64_t b = 0; b < n / CURATE_QK; b++) {
        const float *v = x + b * CURATE_QK;
        float amax = 0;
        for (int i = 0; i < CURATE_QK; i++) amax = fmaxf(amax, fabsf(v[i]));
        float d = amax / 127, id = d != 0 ? 1 / d : 0;
        y[b].d = float_to_half(d);
        for (int i = 0; i < CURATE_QK; i++) y[b].qs[i] = (int8_t)roundf(v[i] * id);
    }
}

// MARK: scalar kernels
//
// Each expands a block into 32 floats and adds the products to `rows` sums.

static void expand_q8_0(const curate_block_q8_0 *b, float *w) {
    float d = half_to_float(b->d);
    for (int i = 0; i < CURATE_QK; i++) w[i] = d * (float)b->qs[i];
}

static void expand_q4_1(const curate_block_q4_1 *b, float *w) {
    float d = half_to_float(b->d), m = half_to_float(b->m);
    for (int j = 0; j < CURATE_QK / 2; j++) {
        w[j] = fmaf(d, (float)(b->qs[j] & 0x0F), m);
        w[j + CURATE_QK / 2] = fmaf(d, (float)(b->qs[j] >> 4), m);
    }
}

#define CURATE_SCALAR_ROWS(FORMAT)                                                                                     \
    static void rows_##FORMAT##_scalar(const curate_block_##FORMAT *w, const float *x, int64_t inputs, int rows,       \
                                       float *out) {                                                                   \
        float expanded[CURATE_QK];                                                                                     \
        for (int r = 0; r < rows; r++) out[r] = 0;                                                                     \
        for (int64_t b = 0; b < inputs / CURATE_QK; b++) {                                                             \
            expand_##FORMAT(w + b, expanded);                                                                          \
            for (int r = 0; r < rows; r++) {                                                                           \
                const float *xr = x + r * inputs + b * CURATE_QK;                                                      \
                for (int i = 0; i < CURATE_QK; i++) out[r] = fmaf(expanded[i], xr[i], out[r]);                         \
            }                                                                                                          \
        }                                                                                                              \
    }
CURATE_SCALAR_ROWS(q8_0)
CURATE_SCALAR_ROWS(q4_1)

// MARK: AVX2 kernels
//
// A block becomes four vectors of eight floats, shared by up to four activation rows; each row
// keeps one vector accumulator, reduced at the end. A row's sum is formed in the same order
// whatever rows share its pass, so a row's result does not depend on the rows batched with it.

#ifdef CURATE_X86
#define CURATE_AVX2 __attribute__((target("avx2,fma,f16c")))

CURATE_AVX2 static inline float horizontal_sum(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

CURATE_AVX2 static inline void expand_q8_0_avx2(const curate_block_q8_0 *b, __m256 w[4]) {
    __m256 d = _mm256_set1_ps(_cvtsh_ss(b->d));
    for (int k = 0; k < 4; k++) {
        __m256i q = _mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(b->qs + 8 * k)));
        w[k] = _mm256_mul_ps(d, _mm256_cvtepi32_ps(q));
    }
}

CURATE_AVX2 static inline void expand_q4_1_avx2(const curate_block_q4_1 *b, __m256 w[4]) {
    __m256 d = _mm256_set1_ps(_cvtsh_ss(b->d)), m = _mm256_set1_ps(_cvtsh_ss(b->m));
    __m128i packed = _mm_loadu_si128((const __m128i *)b->qs);
    __m128i low = _mm_and_si128(packed, _mm_set1_epi8(0x0F));                        // q_0 … q_15
    __m128i high = _mm_and_si128(_mm_srli_epi16(packed, 4), _mm_set1_epi8(0x0F));    // q_16 … q_31
    __m128i halves[4] = {low, _mm_srli_si128(low, 8), high, _mm_srli_si128(high, 8)};
    for (int k = 0; k < 4; k++) w[k] = _mm256_fmadd_ps(d, _mm256_cvtepi32_ps(_mm256_cvtepu8_epi32(halves[k])), m);
}

#define CURATE_AVX2_ROWS(FORMAT)                                                                                        \
    CURATE_AVX2 static void rows_##FORMAT##_avx2(const curate_block_##FORMAT *w, const float *x, int64_t inputs,       \
                                                 int rows, float *out) {                                              \
        __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};         \
        __m256 expanded[4];                                                                                           \
        for (int64_t b = 0; b < inputs / CURATE_QK; b++) {                                                            \
            expand_##FORMAT##_avx2(w + b, expanded);                                                                  \
            for (int r = 0; r < rows; r++) {                                                                          \
                const float *xr = x + r * inputs + b * CURATE_QK;                                                     \
                for (int k = 0; k < 4; k++) acc[r] = _mm256_fmadd_ps(expanded[k], _mm256_loadu_ps(xr + 8 * k), acc[r]); \
            }                                                                                                         \
        }                                                                                                             \
        for (int r = 0; r < rows; r++) out[r] = horizontal_sum(acc[r]);                                               \
    }
CURATE_AVX2_ROWS(q8_0)
CURATE_AVX2_ROWS(q4_1)
#endif

// MARK: dispatch

static int force_scalar = 0;
static int vectorized = -1;

int curate_kernels_vectorized(void) {
#ifdef CURATE_X86
    if (vectorized < 0) {
        __builtin_cpu_init();
        vectorized = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    }
    return vectorized && !force_scalar;
#else
    return 0;
#endif
}

void curate_kernels_force_scalar(int force) { force_scalar = force; }

// Output by output, rows four at a time (the vector kernels' accumulators).
#ifdef CURATE_X86
#define CURATE_ROWS_KERNEL(FORMAT) (curate_kernels_vectorized() ? rows_##FORMAT##_avx2 : rows_##FORMAT##_scalar)
#else
#define CURATE_ROWS_KERNEL(FORMAT) rows_##FORMAT##_scalar
#endif

#define CURATE_MATMUL(FORMAT)                                                                                          \
    void curate_matmul_##FORMAT(const curate_block_##FORMAT *w, const float *x, int64_t inputs, int64_t o_begin,       \
                                int64_t o_end, int64_t rows, float *y, int64_t ldy) {                                  \
        void (*kernel)(const curate_block_##FORMAT *, const float *, int64_t, int, float *) = CURATE_ROWS_KERNEL(FORMAT); \
        float four[4];                                                                                                 \
        for (int64_t o = o_begin; o < o_end; o++) {                                                                    \
            const curate_block_##FORMAT *row = w + o * (inputs / CURATE_QK);                                           \
            for (int64_t r = 0; r < rows; r += 4) {                                                                    \
                int n = rows - r < 4 ? (int)(rows - r) : 4;                                                            \
                kernel(row, x + r * inputs, inputs, n, four);                                                          \
                for (int i = 0; i < n; i++) y[(r + i) * ldy + o] = four[i];                                            \
            }                                                                                                          \
        }                                                                                                              \
    }
CURATE_MATMUL(q8_0)
CURATE_MATMUL(q4_1)
