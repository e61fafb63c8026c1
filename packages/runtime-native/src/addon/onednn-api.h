// The oneDNN calls whose form changed between oneDNN 2 (libdnnl-dev of Debian 12, 2.6, and Ubuntu
// 22.04, 2.2) and oneDNN 3 (Debian 13's 3.7, Ubuntu 24.04's 3.1), each behind one function so that
// the kernels read the same on both: oneDNN 3 builds primitive descriptors from their arguments
// directly, where 2 first made an operation descriptor, and drops the eltwise post-op's scale and
// `memory::desc::dims()`.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

#include <string>

namespace frugal {

// A memory descriptor's dimensions.
inline dnnl::memory::dims dimsOf(const dnnl::memory::desc& md) {
#if DNNL_VERSION_MAJOR >= 3
  return md.get_dims();
#else
  return md.dims();
#endif
}

// An element-wise post-op, applied at full scale.
inline void appendEltwise(dnnl::post_ops& ops, dnnl::algorithm algorithm, float alpha, float beta) {
#if DNNL_VERSION_MAJOR >= 3
  ops.append_eltwise(algorithm, alpha, beta);
#else
  ops.append_eltwise(1.f, algorithm, alpha, beta);
#endif
}

// Whether an implementation (its `impl_info_str()`) is one of oneDNN's JIT-generated kernels rather
// than a gemm- or reference-based one: `jit:…`, and in oneDNN 3, whose AVX2 convolutions are brgemm
// kernels, `brg…` too. (With oneDNN 2, only `jit:` counts, as when its paths were measured.)
inline bool isJitKernel(const std::string& implementation) {
  if (implementation.rfind("jit", 0) == 0) return true;
  return DNNL_VERSION_MAJOR >= 3 && implementation.rfind("brg", 0) == 0;
}

// A convolution's geometry, as each of its primitives takes it.
struct ConvShape {
  dnnl::memory::dims strides, dilates, padL, padR;
};

// The forward convolution (training: its output feeds the gradients); `bias` may be null.
inline dnnl::convolution_forward::primitive_desc convForwardPd(const dnnl::engine& engine, const dnnl::memory::desc& src,
                                                               const dnnl::memory::desc& weights, const dnnl::memory::desc* bias,
                                                               const dnnl::memory::desc& dst, const ConvShape& s,
                                                               const dnnl::primitive_attr& attr) {
  const auto prop = dnnl::prop_kind::forward_training;
  const auto direct = dnnl::algorithm::convolution_direct;
#if DNNL_VERSION_MAJOR >= 3
  return bias ? dnnl::convolution_forward::primitive_desc(engine, prop, direct, src, weights, *bias, dst, s.strides, s.dilates, s.padL, s.padR, attr)
              : dnnl::convolution_forward::primitive_desc(engine, prop, direct, src, weights, dst, s.strides, s.dilates, s.padL, s.padR, attr);
#else
  auto desc = bias ? dnnl::convolution_forward::desc(prop, direct, src, weights, *bias, dst, s.strides, s.dilates, s.padL, s.padR)
                   : dnnl::convolution_forward::desc(prop, direct, src, weights, dst, s.strides, s.dilates, s.padL, s.padR);
  return dnnl::convolution_forward::primitive_desc(desc, attr, engine);
#endif
}

// The gradient with respect to the input (`hint`: the forward convolution it differentiates).
inline dnnl::convolution_backward_data::primitive_desc convBackwardDataPd(const dnnl::engine& engine, const dnnl::memory::desc& diffSrc,
                                                                          const dnnl::memory::desc& weights,
                                                                          const dnnl::memory::desc& diffDst, const ConvShape& s,
                                                                          const dnnl::convolution_forward::primitive_desc& hint) {
  const auto direct = dnnl::algorithm::convolution_direct;
#if DNNL_VERSION_MAJOR >= 3
  return dnnl::convolution_backward_data::primitive_desc(engine, direct, diffSrc, weights, diffDst, s.strides, s.dilates, s.padL, s.padR, hint);
#else
  dnnl::convolution_backward_data::desc desc(direct, diffSrc, weights, diffDst, s.strides, s.dilates, s.padL, s.padR);
  return dnnl::convolution_backward_data::primitive_desc(desc, engine, hint);
#endif
}

// The gradient with respect to the filter.
inline dnnl::convolution_backward_weights::primitive_desc convBackwardWeightsPd(const dnnl::engine& engine, const dnnl::memory::desc& src,
                                                                                const dnnl::memory::desc& diffWeights,
                                                                                const dnnl::memory::desc& diffDst, const ConvShape& s,
                                                                                const dnnl::convolution_forward::primitive_desc& hint) {
  const auto direct = dnnl::algorithm::convolution_direct;
#if DNNL_VERSION_MAJOR >= 3
  return dnnl::convolution_backward_weights::primitive_desc(engine, direct, src, diffWeights, diffDst, s.strides, s.dilates, s.padL, s.padR,
                                                            hint);
#else
  dnnl::convolution_backward_weights::desc desc(direct, src, diffWeights, diffDst, s.strides, s.dilates, s.padL, s.padR);
  return dnnl::convolution_backward_weights::primitive_desc(desc, engine, hint);
#endif
}

// A matrix product a · b (+ bias); `bias` may be null.
inline dnnl::matmul::primitive_desc matMulPd(const dnnl::engine& engine, const dnnl::memory::desc& a, const dnnl::memory::desc& b,
                                             const dnnl::memory::desc* bias, const dnnl::memory::desc& c,
                                             const dnnl::primitive_attr& attr = dnnl::primitive_attr()) {
#if DNNL_VERSION_MAJOR >= 3
  return bias ? dnnl::matmul::primitive_desc(engine, a, b, *bias, c, attr) : dnnl::matmul::primitive_desc(engine, a, b, c, attr);
#else
  auto desc = bias ? dnnl::matmul::desc(a, b, *bias, c) : dnnl::matmul::desc(a, b, c);
  return dnnl::matmul::primitive_desc(desc, attr, engine);
#endif
}

}  // namespace frugal
