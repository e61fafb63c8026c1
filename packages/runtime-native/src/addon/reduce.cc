// Sums over the leading or the trailing axes of a tensor (BatchNorm's statistics and gradients
// reduce NHWC activations over N, H and W), multi-threaded. Sums are taken in double over one fixed
// range per thread and added in range order (sumRanges), so a thread count gives one result,
// however many threads run the ranges (threadsFor).
#include "common.h"

#include <omp.h>

#include <algorithm>
#include <vector>

namespace frugal {
namespace {

// reduceSum(heap, x, out, outer, inner, leading, scale): x is [outer, inner]; `leading` sums over
// `outer` (out has `inner` values), else over `inner` (out has `outer` values); each sum is
// multiplied by `scale` (1 for Sum, 1/count for Mean).
Napi::Value ReduceSum(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* x = heap.at(num(info[1]));
  float* out = heap.at(num(info[2]));
  const int64_t outer = static_cast<int64_t>(num(info[3]));
  const int64_t inner = static_cast<int64_t>(num(info[4]));
  const bool leading = info[5].As<Napi::Boolean>().Value();
  const double scale = num(info[6]);
  const int nThreads = threadsFor(outer * inner);
  if (!leading) {
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
    for (int64_t r = 0; r < outer; ++r) {
      const float* row = x + r * inner;
      double s = 0;
      for (int64_t c = 0; c < inner; ++c) s += row[c];
      out[r] = static_cast<float>(s * scale);
    }
    return info.Env().Undefined();
  }
  const int ranges = sumRanges();
  std::vector<double> partial(static_cast<size_t>(ranges) * inner, 0.0);
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
  for (int t = 0; t < ranges; ++t) {
    const int64_t begin = outer * t / ranges, end = outer * (t + 1) / ranges;
    // Summed in the thread's own buffer, then stored: ranges written in place would share cache lines.
    std::vector<double> p(inner, 0.0);
    for (int64_t r = begin; r < end; ++r) {
      const float* row = x + r * inner;
      for (int64_t c = 0; c < inner; ++c) p[c] += row[c];
    }
    std::copy(p.begin(), p.end(), partial.begin() + static_cast<std::ptrdiff_t>(t) * inner);
  }
  for (int64_t c = 0; c < inner; ++c) {
    double s = 0;
    for (int t = 0; t < ranges; ++t) s += partial[static_cast<size_t>(t) * inner + c];
    out[c] = static_cast<float>(s * scale);
  }
  return info.Env().Undefined();
}

}  // namespace

void registerReduce(Napi::Env env, Napi::Object exports) { exports.Set("reduceSum", Napi::Function::New(env, guarded<ReduceSum>)); }

}  // namespace frugal
