// Element-wise kernels a training step runs on every activation (residual sums, ReLU and its
// gradient, the clipped activations' gradients, the products of backpropagation), multi-threaded
// above a size where threads pay (threadsFor).
#include "common.h"


namespace frugal {
namespace {

// kReluGrad: a·step(b), ReLU's gradient dy·step(x). kClipGrad: a where lo ≤ b ≤ hi, else 0,
// ClipByValue's gradient. kRelu6Grad: a·((b ≤ 6)·step(b)), Relu6's gradient. Each gives the bits
// of the tfjs kernels it stands for (NaN and infinities included).
enum Binary : int32_t { kAdd = 0, kSub = 1, kMul = 2, kReluGrad = 3, kClipGrad = 4, kRelu6Grad = 5 };
enum Broadcast : int32_t { kSame = 0, kChannels = 1, kScalar = 2 };  // how `b` spreads over `a`
enum Unary : int32_t { kRelu = 0, kStep = 1, kSquare = 2 };

template <typename F>
void forRows(int64_t rows, int64_t width, F body) {
  const int n = threadsFor(rows * width);
#pragma omp parallel for schedule(static) num_threads(n) if (n > 1)
  for (int64_t r = 0; r < rows; ++r) body(r);
}

// The bounds of kClipGrad.
struct Bounds {
  float lo, hi;
};

// tfjs's Step: 1 above 0, `alpha` at or below it, NaN kept (ReLU's gradient is dy·step(x)).
inline float step(float v, float alpha = 0.f) { return select(v != v, v, select(v > 0.f, 1.f, alpha)); }

template <int32_t OP>
inline float apply(float a, float b, Bounds bounds) {
  if constexpr (OP == kAdd) return a + b;
  if constexpr (OP == kSub) return a - b;
  if constexpr (OP == kReluGrad) return a * step(b);
  if constexpr (OP == kClipGrad) return select(b >= bounds.lo && b <= bounds.hi, a, 0.f);
  if constexpr (OP == kRelu6Grad) return a * (select(b <= 6.f, 1.f, 0.f) * step(b));
  return a * b;
}

template <int32_t OP>
void binary(const float* a, const float* b, float* out, int64_t n, int32_t broadcast, int64_t channels, Bounds bounds = {0.f, 0.f}) {
  if (broadcast == kChannels) {
    const int64_t rows = n / channels;
    forRows(rows, channels, [&](int64_t r) {
      const float* ar = a + r * channels;
      float* o = out + r * channels;
      for (int64_t c = 0; c < channels; ++c) o[c] = apply<OP>(ar[c], b[c], bounds);
    });
    return;
  }
  const int64_t block = 4096;
  const int64_t blocks = (n + block - 1) / block;
  const float scalar = broadcast == kScalar ? b[0] : 0.f;
  forRows(blocks, block, [&](int64_t k) {
    const int64_t end = std::min(n, (k + 1) * block);
    if (broadcast == kScalar) {
      for (int64_t i = k * block; i < end; ++i) out[i] = apply<OP>(a[i], scalar, bounds);
    } else {
      for (int64_t i = k * block; i < end; ++i) out[i] = apply<OP>(a[i], b[i], bounds);
    }
  });
}

// binary(heap, op, a, b, out, n, broadcast, channels[, lo, hi]): lo and hi are kClipGrad's bounds.
Napi::Value BinaryOp(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const int32_t op = info[1].As<Napi::Number>().Int32Value();
  const float* a = heap.at(num(info[2]));
  const float* b = heap.at(num(info[3]));
  float* out = heap.at(num(info[4]));
  const int64_t n = static_cast<int64_t>(num(info[5]));
  const int32_t broadcast = info[6].As<Napi::Number>().Int32Value();
  const int64_t channels = static_cast<int64_t>(num(info[7]));
  const Bounds bounds = info.Length() > 9 ? Bounds{static_cast<float>(num(info[8])), static_cast<float>(num(info[9]))} : Bounds{0.f, 0.f};
  switch (op) {
    case kAdd: binary<kAdd>(a, b, out, n, broadcast, channels); break;
    case kSub: binary<kSub>(a, b, out, n, broadcast, channels); break;
    case kMul: binary<kMul>(a, b, out, n, broadcast, channels); break;
    case kReluGrad: binary<kReluGrad>(a, b, out, n, broadcast, channels); break;
    case kClipGrad: binary<kClipGrad>(a, b, out, n, broadcast, channels, bounds); break;
    case kRelu6Grad: binary<kRelu6Grad>(a, b, out, n, broadcast, channels); break;
    default: throw std::invalid_argument("unknown binary op " + std::to_string(op));
  }
  return info.Env().Undefined();
}

// unary(heap, op, x, out, n, alpha): relu, step (x > 0 ? 1 : alpha), square; NaN stays NaN. One
// branch-free loop per function, so that the compiler vectorises it (a branch on the sign of
// random activations is mispredicted every other element).
Napi::Value UnaryOp(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const int32_t op = info[1].As<Napi::Number>().Int32Value();
  const float* x = heap.at(num(info[2]));
  float* out = heap.at(num(info[3]));
  const int64_t n = static_cast<int64_t>(num(info[4]));
  const float alpha = static_cast<float>(num(info[5]));
  const int64_t block = 4096;
  const int64_t blocks = (n + block - 1) / block;
  auto run = [&](auto f) {
    forRows(blocks, block, [&](int64_t k) {
      const int64_t end = std::min(n, (k + 1) * block);
      for (int64_t i = k * block; i < end; ++i) out[i] = f(x[i]);
    });
  };
  switch (op) {
    case kRelu: run([](float v) { return select(v > 0.f || v != v, v, 0.f); }); break;
    case kStep: run([alpha](float v) { return step(v, alpha); }); break;
    case kSquare: run([](float v) { return v * v; }); break;
    default: throw std::invalid_argument("unknown unary op " + std::to_string(op));
  }
  return info.Env().Undefined();
}

}  // namespace

void registerElementwise(Napi::Env env, Napi::Object exports) {
  exports.Set("binary", Napi::Function::New(env, guarded<BinaryOp>));
  exports.Set("unary", Napi::Function::New(env, guarded<UnaryOp>));
}

}  // namespace frugal
