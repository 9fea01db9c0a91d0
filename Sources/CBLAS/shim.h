#ifndef CURATE_CBLAS_SHIM_H
#define CURATE_CBLAS_SHIM_H
#include <cblas.h>

/* Pointer types for the functions BLAS.swift resolves with dlsym. Taking them with typeof from
   cblas.h keeps the signatures exactly those of the installed header; referencing the types
   does not reference the symbols, so nothing needs to be linked. */
typedef __typeof__(cblas_sgemm) *curate_cblas_sgemm_fn;
typedef __typeof__(cblas_sgemv) *curate_cblas_sgemv_fn;
typedef __typeof__(openblas_get_corename) *curate_openblas_get_corename_fn;
typedef __typeof__(openblas_set_num_threads) *curate_openblas_set_num_threads_fn;
typedef __typeof__(openblas_get_num_threads) *curate_openblas_get_num_threads_fn;

#endif
