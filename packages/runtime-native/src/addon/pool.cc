// Max and average pooling of NHWC activations and their gradients, with tfjs's conventions: the
// first maximum of a window wins, padding is skipped, the average divides by the window's pixels
// inside the input, and the average's gradient spreads dy evenly over the whole filter.
#include "common.h"

#include <limits>

namespace frugal {
namespace {

enum P { N, IH, IW, C, OH, OW, KH, KW, SH, SW, PT, PL, COUNT };

struct Window {
  int64_t r0, r1, c0, c1;  // in-bounds rows [r0, r1), columns [c0, c1)
};

inline Window windowOf(const int32_t* p, int64_t oy, int64_t ox) {
  int64_t r = oy * p[SH] - p[PT], c = ox * p[SW] - p[PL];
  return {r < 0 ? 0 : r, std::min<int64_t>(r + p[KH], p[IH]), c < 0 ? 0 : c, std::min<int64_t>(c + p[KW], p[IW])};
}

// pool(heap, params, x, y, isMax)
Napi::Value Pool(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const int32_t* p = paramsOf(info[1], COUNT);
  const float* x = heap.at(num(info[2]));
  float* y = heap.at(num(info[3]));
  const bool isMax = info[4].As<Napi::Boolean>().Value();
  const int64_t channels = p[C];
#pragma omp parallel for collapse(2) schedule(static)
  for (int64_t n = 0; n < p[N]; ++n) {
    for (int64_t oy = 0; oy < p[OH]; ++oy) {
      std::vector<float> acc(channels);
      std::vector<float> best(channels);
      for (int64_t ox = 0; ox < p[OW]; ++ox) {
        Window w = windowOf(p, oy, ox);
        float* out = y + ((n * p[OH] + oy) * p[OW] + ox) * channels;
        if (isMax) {
          std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        } else {
          std::fill(acc.begin(), acc.end(), 0.f);
        }
        for (int64_t r = w.r0; r < w.r1; ++r) {
          for (int64_t c = w.c0; c < w.c1; ++c) {
            const float* in = x + ((n * p[IH] + r) * p[IW] + c) * channels;
            if (isMax) {
              for (int64_t ch = 0; ch < channels; ++ch) best[ch] = in[ch] > best[ch] ? in[ch] : best[ch];
            } else {
              for (int64_t ch = 0; ch < channels; ++ch) acc[ch] += in[ch];
            }
          }
        }
        if (isMax) {
          std::copy(best.begin(), best.end(), out);
        } else {
          const float count = static_cast<float>((w.r1 - w.r0) * (w.c1 - w.c0));
          for (int64_t ch = 0; ch < channels; ++ch) out[ch] = acc[ch] / count;
        }
      }
    }
  }
  return info.Env().Undefined();
}

// poolGrad(heap, params, dy, x, dx, isMax): x is read only for max pooling.
Napi::Value PoolGrad(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const int32_t* p = paramsOf(info[1], COUNT);
  const float* dy = heap.at(num(info[2]));
  const float* x = info[3].IsNumber() && num(info[3]) >= 0 ? heap.at(num(info[3])) : nullptr;
  float* dx = heap.at(num(info[4]));
  const bool isMax = info[5].As<Napi::Boolean>().Value();
  const int64_t channels = p[C];
  const int64_t imageSize = static_cast<int64_t>(p[IH]) * p[IW] * channels;
  const float average = 1.f / static_cast<float>(p[KH] * p[KW]);
  // One image per iteration: windows overlap within an image, never across images.
#pragma omp parallel for schedule(static)
  for (int64_t n = 0; n < p[N]; ++n) {
    float* dxn = dx + n * imageSize;
    std::fill(dxn, dxn + imageSize, 0.f);
    // Each window's first maximum, channel by channel, as its pixel's place in the window (a float,
    // so that the scan over channels is two selects on one comparison, which the compiler
    // vectorises; a branch on random activations is mispredicted half the time).
    std::vector<float> best(channels);
    std::vector<float> first(channels);
    std::vector<int64_t> pixels;
    for (int64_t oy = 0; oy < p[OH]; ++oy) {
      for (int64_t ox = 0; ox < p[OW]; ++ox) {
        Window w = windowOf(p, oy, ox);
        const float* g = dy + ((n * p[OH] + oy) * p[OW] + ox) * channels;
        if (isMax) {
          std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
          std::fill(first.begin(), first.end(), -1.f);
          pixels.clear();
          float* __restrict b = best.data();
          float* __restrict f = first.data();
          for (int64_t r = w.r0; r < w.r1; ++r) {
            for (int64_t c = w.c0; c < w.c1; ++c) {
              const float place = static_cast<float>(pixels.size());
              pixels.push_back((r * p[IW] + c) * channels);
              const float* __restrict in = x + n * imageSize + pixels.back();
              for (int64_t ch = 0; ch < channels; ++ch) {
                const bool greater = in[ch] > b[ch];
                f[ch] = select(greater, place, f[ch]);
                b[ch] = select(greater, in[ch], b[ch]);
              }
            }
          }
          for (int64_t ch = 0; ch < channels; ++ch) {
            if (f[ch] >= 0.f) dxn[pixels[static_cast<size_t>(f[ch])] + ch] += g[ch];
          }
        } else {
          for (int64_t r = w.r0; r < w.r1; ++r) {
            for (int64_t c = w.c0; c < w.c1; ++c) {
              float* d = dxn + (r * p[IW] + c) * channels;
              for (int64_t ch = 0; ch < channels; ++ch) d[ch] += g[ch] * average;
            }
          }
        }
      }
    }
  }
  return info.Env().Undefined();
}

}  // namespace

void registerPool(Napi::Env env, Napi::Object exports) {
  exports.Set("pool", Napi::Function::New(env, guarded<Pool>));
  exports.Set("poolGrad", Napi::Function::New(env, guarded<PoolGrad>));
}

}  // namespace frugal
