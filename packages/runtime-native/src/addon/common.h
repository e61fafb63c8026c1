// Shared pieces of the addon: the oneDNN engine and stream, pointers into the wasm heap, the
// activations tfjs fuses, and a cache of primitives keyed by their shapes.
#pragma once

#include <napi.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace frugal {

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

// tfjs's fused activations, numbered as the TypeScript side sends them.
enum Activation : int32_t { kLinear = 0, kRelu = 1, kRelu6 = 2, kElu = 3, kSigmoid = 4, kLeakyRelu = 5 };

// Adds `activation` as an eltwise post-op; false when oneDNN has no equivalent.
void addActivation(dnnl::post_ops& ops, int32_t activation, float alpha);

// The float pointer at byte `offset` of a wasm heap (an ArrayBuffer). An offset past the heap (or a
// detached heap, whose size is 0) is refused: a stale heap must never become a wild pointer.
struct Heap {
  uint8_t* base = nullptr;
  size_t size = 0;
  float* at(double offset) const {
    if (base == nullptr || !(offset >= 0) || static_cast<size_t>(offset) > size) {
      throw std::out_of_range("a tensor at byte " + std::to_string(static_cast<int64_t>(offset)) + " lies outside the wasm heap (" + std::to_string(size) +
                              " bytes): the heap was read before an allocation that replaced it");
    }
    return reinterpret_cast<float*>(base + static_cast<size_t>(offset));
  }
};
Heap heapOf(const Napi::Value& value);

// A JavaScript number argument (a byte offset, a size, a scalar).
inline double num(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }

// The Int32Array of a call's shape parameters.
const int32_t* paramsOf(const Napi::Value& value, size_t expected);

// A key built from integers (and float bits), for the primitive caches.
inline std::string keyOf(const int32_t* p, size_t n, float extra = 0.f) {
  std::string key(reinterpret_cast<const char*>(p), n * sizeof(int32_t));
  key.append(reinterpret_cast<const char*>(&extra), sizeof(float));
  return key;
}

// A bounded cache: cleared when full (shapes in a training run repeat, so it rarely fills).
template <typename T>
class Cache {
 public:
  T* find(const std::string& key) {
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : it->second.get();
  }
  T* insert(const std::string& key, std::unique_ptr<T> value) {
    if (entries_.size() >= 512) entries_.clear();
    T* raw = value.get();
    entries_[key] = std::move(value);
    return raw;
  }
  void clear() { entries_.clear(); }

 private:
  std::unordered_map<std::string, std::unique_ptr<T>> entries_;
};

// Wraps a callback so that C++ and oneDNN errors reach JavaScript as exceptions.
template <Napi::Value (*F)(const Napi::CallbackInfo&)>
Napi::Value guarded(const Napi::CallbackInfo& info) {
  try {
    return F(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("@frugal/runtime-native: ") + e.what());
  }
}

int threads();

// Memory-bound loops (element-wise, batch norm, sums) run on one thread up to a number of values
// the TypeScript side sets by OpenMP's wait policy (setParallelAbove): where threads sleep between
// kernels, waking one costs more than it saves below about 2^20 values (2-vCPU virtual machines);
// where they spin, threads pay from about 2^15.
// The threads a memory-bound loop over `elements` values uses: 1, or every thread above that size.
int threadsFor(int64_t elements);

// `condition ? a : b` as bit operations, which vectorise where a conditional does not.
inline float select(bool condition, float a, float b) {
  uint32_t ua, ub;
  std::memcpy(&ua, &a, 4);
  std::memcpy(&ub, &b, 4);
  const uint32_t mask = 0u - static_cast<uint32_t>(condition);
  const uint32_t r = (ua & mask) | (ub & ~mask);
  float out;
  std::memcpy(&out, &r, 4);
  return out;
}

// Sums are split into one fixed row range per thread of the thread count (omp_get_max_threads),
// and the ranges' partial sums added in order, whether one thread or all of them run the ranges:
// the numbers depend on the thread count only, never on the size rule above or on the wait policy.
int sumRanges();
void clearCaches();

// Registration of each file's functions on the module's exports.
void registerConv(Napi::Env env, Napi::Object exports);
void registerMatMul(Napi::Env env, Napi::Object exports);
void registerBatchNorm(Napi::Env env, Napi::Object exports);
void registerPool(Napi::Env env, Napi::Object exports);
void registerReduce(Napi::Env env, Napi::Object exports);
void registerElementwise(Napi::Env env, Napi::Object exports);
void registerOptimizer(Napi::Env env, Napi::Object exports);
void registerCopy(Napi::Env env, Napi::Object exports);
void registerTransform(Napi::Env env, Napi::Object exports);
void clearConvCache();
void clearMatMulCache();

}  // namespace frugal
