// Strided copies within the wasm heap: a slice reads runs spread out and writes them packed, a
// padding writes them spread out. Memory-bound, one thread (the blocks are activations of a batch).
#include "common.h"

namespace frugal {
namespace {

// copyRuns(heap, source, target, rank, params): params is [outer sizes..., source strides...,
// target strides..., run] (`rank` outer axes), strides and run in 4-byte values, source and target
// byte offsets. One run of `run` values is copied per index over the outer axes.
Napi::Value CopyRuns(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const auto* from = reinterpret_cast<const uint32_t*>(heap.at(num(info[1])));
  auto* to = reinterpret_cast<uint32_t*>(heap.at(num(info[2])));
  const auto rank = static_cast<int32_t>(num(info[3]));
  if (rank < 0 || rank > 64) throw std::invalid_argument("copyRuns: rank must be 0 to 64");
  const int32_t* p = paramsOf(info[4], 3 * static_cast<size_t>(rank) + 1);
  const int32_t* outer = p;
  const int32_t* sourceStrides = p + rank;
  const int32_t* targetStrides = p + 2 * rank;
  const size_t run = static_cast<size_t>(p[3 * rank]) * sizeof(uint32_t);
  for (int32_t k = 0; k < rank; ++k) {
    if (outer[k] == 0) return info.Env().Undefined();
  }
  if (rank == 0) {
    std::memcpy(to, from, run);
    return info.Env().Undefined();
  }
  const int32_t last = rank - 1;
  std::vector<int32_t> index(static_cast<size_t>(last), 0);
  for (;;) {
    const uint32_t* s = from;
    uint32_t* t = to;
    for (int32_t j = 0; j < outer[last]; ++j, s += sourceStrides[last], t += targetStrides[last]) std::memcpy(t, s, run);
    int32_t k = last - 1;
    for (; k >= 0; --k) {
      from += sourceStrides[k];
      to += targetStrides[k];
      if (++index[static_cast<size_t>(k)] < outer[k]) break;
      from -= static_cast<int64_t>(outer[k]) * sourceStrides[k];
      to -= static_cast<int64_t>(outer[k]) * targetStrides[k];
      index[static_cast<size_t>(k)] = 0;
    }
    if (k < 0) return info.Env().Undefined();
  }
}

}  // namespace

void registerCopy(Napi::Env env, Napi::Object exports) { exports.Set("copyRuns", Napi::Function::New(env, guarded<CopyRuns>)); }

}  // namespace frugal
