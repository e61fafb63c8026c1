// tf.image.transform's projective maps (RandAugment's rotations, shears and translations by a part
// of a pixel): each output pixel reads the source point its map gives, nearest or bilinear, with a
// constant fill or the edge's pixel outside. The float arithmetic is that of tfjs's wasm kernel, step
// for step, so the values are the same to the bit; the output rows are shared among the threads.
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "common.h"

namespace frugal {
namespace {

enum Interpolation : int32_t { kNearest = 1, kBilinear = 2 };
enum FillMode : int32_t { kConstant = 1, kEdge = 4 };

// A source coordinate as an index: truncated as wasm's conversion does, kept within int32 (a point
// that far out reads the fill either way).
int32_t indexOf(float v) { return static_cast<int32_t>(std::max(-1e9f, std::min(v, 1e9f))); }

// floor, and round half away from zero, by truncation: exact below 2^23, where a float's fraction is
// exact (libm's beyond, and for NaN), and inlined where libm's are calls on the baseline x86-64 ISA.
// floor keeps the sign of a zero, which the bilinear weights carry.
float floorOf(float v) {
  if (!(std::fabs(v) < 8388608.f)) return std::floor(v);
  const float t = static_cast<float>(static_cast<int32_t>(v));
  return t > v ? t - 1 : std::copysign(t, v);
}
float roundOf(float v) {
  if (!(std::fabs(v) < 8388608.f)) return std::round(v);
  const float t = static_cast<float>(static_cast<int32_t>(v));
  const float rest = v - t;
  return rest >= 0.5f ? t + 1 : rest <= -0.5f ? t - 1 : t;
}

struct Image {
  const float* pixels;
  int32_t height, width, channels;
  float fill;
  float at(int32_t y, int32_t x, int32_t channel) const {
    if (y < 0 || y >= height || x < 0 || x >= width) return fill;
    return pixels[(static_cast<int64_t>(y) * width + x) * channels + channel];
  }
};

// transformImages(heap, image, transforms, out, params, fill): params is [batch, height, width,
// channels, perImage, interpolation, fillMode]; `transforms` holds 8 values an image (or one row for
// all of them when perImage is 0), source = ((a·x + b·y + c) / p, (d·x + e·y + f) / p) with
// p = g·x + h·y + 1.
Napi::Value TransformImages(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* images = heap.at(num(info[1]));
  const float* transforms = heap.at(num(info[2]));
  float* out = heap.at(num(info[3]));
  const int32_t* p = paramsOf(info[4], 7);
  const float fill = static_cast<float>(num(info[5]));
  const int32_t batch = p[0], height = p[1], width = p[2], channels = p[3];
  const bool perImage = p[4] != 0;
  const int32_t interpolation = p[5], fillMode = p[6];
  if (interpolation != kNearest && interpolation != kBilinear) throw std::invalid_argument("transformImages: interpolation must be 1 (nearest) or 2 (bilinear)");
  if (fillMode != kConstant && fillMode != kEdge) throw std::invalid_argument("transformImages: fillMode must be 1 (constant) or 4 (nearest)");
  const int64_t rows = static_cast<int64_t>(batch) * height;
  const int n = threadsFor(rows * width * channels);
  // Clamped to the edge as the wasm kernel clamps: between 0 and the last index, in float.
  const auto mapped = [fillMode](float v, int32_t size) { return fillMode == kEdge ? std::max(0.f, std::min(v, static_cast<float>(size - 1))) : v; };
#pragma omp parallel for schedule(static) num_threads(n) if (n > 1)
  for (int64_t row = 0; row < rows; ++row) {
    const int32_t b = static_cast<int32_t>(row / height);
    const int32_t outY = static_cast<int32_t>(row % height);
    const float* t = transforms + (perImage ? static_cast<int64_t>(b) * 8 : 0);
    const Image image{images + static_cast<int64_t>(b) * height * width * channels, height, width, channels, fill};
    float* target = out + row * width * channels;
    const float fy = static_cast<float>(outY);
    // The terms of the row, each rounded as the wasm kernel rounds it; an affine map's projection is
    // exactly 1, and dividing by it changes nothing.
    const float xRow = t[1] * fy, yRow = t[4] * fy, pRow = t[7] * fy;
    const bool affine = t[6] == 0 && t[7] == 0;
    for (int32_t outX = 0; outX < width; ++outX) {
      const float fx = static_cast<float>(outX);
      float* pixel = target + static_cast<int64_t>(outX) * channels;
      float x = t[0] * fx + xRow + t[2];
      float y = t[3] * fx + yRow + t[5];
      if (!affine) {
        // The wasm kernel adds the 1 in double: the same rounding here.
        const float projection = static_cast<float>(static_cast<double>(t[6] * fx + pRow) + 1.0);
        if (projection == 0) {
          std::fill(pixel, pixel + channels, fill);
          continue;
        }
        x /= projection;
        y /= projection;
      }
      x = mapped(x, width);
      y = mapped(y, height);
      if (interpolation == kNearest) {
        const int32_t nx = indexOf(roundOf(x)), ny = indexOf(roundOf(y));
        for (int32_t c = 0; c < channels; ++c) pixel[c] = image.at(ny, nx, c);
        continue;
      }
      const float yFloor = floorOf(y), xFloor = floorOf(x);
      const float yCeil = yFloor + 1, xCeil = xFloor + 1;
      const int32_t y0 = indexOf(yFloor), x0 = indexOf(xFloor), y1 = indexOf(yCeil), x1 = indexOf(xCeil);
      for (int32_t c = 0; c < channels; ++c) {
        const float top = (xCeil - x) * image.at(y0, x0, c) + (x - xFloor) * image.at(y0, x1, c);
        const float bottom = (xCeil - x) * image.at(y1, x0, c) + (x - xFloor) * image.at(y1, x1, c);
        pixel[c] = (yCeil - y) * top + (y - yFloor) * bottom;
      }
    }
  }
  return info.Env().Undefined();
}

}  // namespace

void registerTransform(Napi::Env env, Napi::Object exports) { exports.Set("transformImages", Napi::Function::New(env, guarded<TransformImages>)); }

}  // namespace frugal
