// Optimizer and weight-average updates of one variable in one pass, where tfjs runs a kernel per operation.
#include "common.h"

#include <algorithm>

namespace frugal {
namespace {

enum SgdFlags : int32_t { kMomentum = 1, kFirstStep = 2, kNesterov = 4, kDecay = 8 };

// sgdUpdate(heap, v, grad, buf, outV, outBuf, n, lr, momentum, weightDecay, flags): torch.optim.SGD's
// step for one variable, each operation rounded to float as separate kernels would round it:
//   g = grad + v·wd (kDecay); next = kFirstStep ? g : buf·m + g; g = kNesterov ? g + next·m : next
//   (kMomentum); v' = v − g·lr. buf and outBuf are -1 without momentum.
Napi::Value SgdUpdate(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* v = heap.at(num(info[1]));
  const float* grad = heap.at(num(info[2]));
  const int32_t flags = info[10].As<Napi::Number>().Int32Value();
  const bool momentum = flags & kMomentum;
  const float* buf = momentum && !(flags & kFirstStep) ? heap.at(num(info[3])) : nullptr;
  float* outV = heap.at(num(info[4]));
  float* outBuf = momentum ? heap.at(num(info[5])) : nullptr;
  const int64_t n = static_cast<int64_t>(num(info[6]));
  const float lr = static_cast<float>(num(info[7]));
  const float m = static_cast<float>(num(info[8]));
  const float wd = static_cast<float>(num(info[9]));
  const bool decay = flags & kDecay, nesterov = flags & kNesterov;
  const int64_t block = 4096;
  const int64_t blocks = (n + block - 1) / block;
  const int nThreads = threadsFor(n);
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
  for (int64_t k = 0; k < blocks; ++k) {
    const int64_t end = std::min(n, (k + 1) * block);
    for (int64_t i = k * block; i < end; ++i) {
      float g = grad[i];
      if (decay) {
        const float scaled = v[i] * wd;
        g = g + scaled;
      }
      if (momentum) {
        float next = g;
        if (buf) {
          const float kept = buf[i] * m;
          next = kept + g;
        }
        outBuf[i] = next;
        if (nesterov) {
          const float ahead = next * m;
          g = g + ahead;
        } else {
          g = next;
        }
      }
      const float step = g * lr;
      outV[i] = v[i] - step;
    }
  }
  return info.Env().Undefined();
}

// emaUpdate(heap, shadow, value, out, n, decay, rest): a weight average's step for one variable,
// out = shadow·decay + value·rest, each product and the sum rounded to float as separate kernels
// round them (rest is 1 − decay as the caller computed it).
Napi::Value EmaUpdate(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* shadow = heap.at(num(info[1]));
  const float* value = heap.at(num(info[2]));
  float* out = heap.at(num(info[3]));
  const int64_t n = static_cast<int64_t>(num(info[4]));
  const float decay = static_cast<float>(num(info[5]));
  const float rest = static_cast<float>(num(info[6]));
  const int nThreads = threadsFor(n);
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
  for (int64_t i = 0; i < n; ++i) {
    const float kept = shadow[i] * decay;
    const float added = value[i] * rest;
    out[i] = kept + added;
  }
  return info.Env().Undefined();
}

}  // namespace

void registerOptimizer(Napi::Env env, Napi::Object exports) {
  exports.Set("sgdUpdate", Napi::Function::New(env, guarded<SgdUpdate>));
  exports.Set("emaUpdate", Napi::Function::New(env, guarded<EmaUpdate>));
}

}  // namespace frugal
