// Batch normalisation over the last axis (channels) of NHWC activations: the forward pass with
// given statistics or with the batch's own, and the gradients in two passes. Per-channel sums are
// taken in double over one fixed row range per thread and added in range order (sumRanges), so a
// thread count gives one result, however many threads run the ranges (threadsFor).
#include "common.h"

#include <omp.h>

#include <algorithm>
#include <cmath>

namespace frugal {
namespace {

// y = (x − mean)·r·scale + offset with r = 1/sqrt(variance + eps), as a·x + b per channel.
void normalise(const float* x, const float* mean, const float* variance, const float* offset, const float* scale, float* y, int64_t rows,
               int64_t channels, float epsilon) {
  std::vector<float> a(channels), b(channels);
  for (int64_t c = 0; c < channels; ++c) {
    float r = 1.f / std::sqrt(variance[c] + epsilon);
    a[c] = r * (scale ? scale[c] : 1.f);
    b[c] = (offset ? offset[c] : 0.f) - mean[c] * a[c];
  }
  const int nThreads = threadsFor(rows * channels);
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
  for (int64_t row = 0; row < rows; ++row) {
    const float* xr = x + row * channels;
    float* yr = y + row * channels;
    for (int64_t c = 0; c < channels; ++c) yr[c] = xr[c] * a[c] + b[c];
  }
}

// out[c] = float(scale · Σ_rows value(row, c)): sums in double over fixed row ranges, added in range
// order — reduceSum's order over leading axes, so a mean taken here equals the Mean kernel's bit for
// bit.
template <typename ValueFn>
void channelMeans(int64_t rows, int64_t channels, double scale, float* out, ValueFn value) {
  const int nThreads = threadsFor(rows * channels);
  const int ranges = sumRanges();
  std::vector<double> partial(static_cast<size_t>(ranges) * channels, 0.0);
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
  for (int t = 0; t < ranges; ++t) {
    const int64_t begin = rows * t / ranges, end = rows * (t + 1) / ranges;
    // Summed in the thread's own buffer, then stored: ranges written in place would share cache lines.
    std::vector<double> p(channels, 0.0);
    for (int64_t row = begin; row < end; ++row) {
      for (int64_t c = 0; c < channels; ++c) p[c] += value(row, c);
    }
    std::copy(p.begin(), p.end(), partial.begin() + static_cast<std::ptrdiff_t>(t) * channels);
  }
  for (int64_t c = 0; c < channels; ++c) {
    double s = 0;
    for (int t = 0; t < ranges; ++t) s += partial[static_cast<size_t>(t) * channels + c];
    out[c] = static_cast<float>(s * scale);
  }
}

// batchNorm(heap, x, mean, variance, offset, scale, y, rows, channels, epsilon); offset/scale -1 when absent.
Napi::Value BatchNorm(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* x = heap.at(num(info[1]));
  const float* mean = heap.at(num(info[2]));
  const float* variance = heap.at(num(info[3]));
  const float* offset = num(info[4]) < 0 ? nullptr : heap.at(num(info[4]));
  const float* scale = num(info[5]) < 0 ? nullptr : heap.at(num(info[5]));
  float* y = heap.at(num(info[6]));
  normalise(x, mean, variance, offset, scale, y, static_cast<int64_t>(num(info[7])), static_cast<int64_t>(num(info[8])), static_cast<float>(num(info[9])));
  return info.Env().Undefined();
}

// batchNormTrain(heap, x, scale, offset, y, mean, variance, rows, channels, epsilon, perRow): batch
// norm by the batch's own statistics in three passes — the mean, the (biased) variance as the mean
// of float (x − mean)², then y — with the arithmetic of Mean, Sub, Square, Mean and FusedBatchNorm
// one after another (perRow = 1/rows as the Mean kernel passes it), so the results are theirs bit
// for bit. scale/offset -1 when absent.
Napi::Value BatchNormTrain(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* x = heap.at(num(info[1]));
  const float* scale = num(info[2]) < 0 ? nullptr : heap.at(num(info[2]));
  const float* offset = num(info[3]) < 0 ? nullptr : heap.at(num(info[3]));
  float* y = heap.at(num(info[4]));
  float* mean = heap.at(num(info[5]));
  float* variance = heap.at(num(info[6]));
  const int64_t rows = static_cast<int64_t>(num(info[7]));
  const int64_t channels = static_cast<int64_t>(num(info[8]));
  const float epsilon = static_cast<float>(num(info[9]));
  const double perRow = num(info[10]);
  channelMeans(rows, channels, perRow, mean, [&](int64_t row, int64_t c) { return x[row * channels + c]; });
  channelMeans(rows, channels, perRow, variance, [&](int64_t row, int64_t c) {
    const float d = x[row * channels + c] - mean[c];
    const float square = d * d;
    return square;
  });
  normalise(x, mean, variance, offset, scale, y, rows, channels, epsilon);
  return info.Env().Undefined();
}

// Σdy and Σdy·(x−mean) per channel, in double over fixed row ranges, added in range order; `alsoPerRow(row)` runs in the same pass (a kernel's own per-row output).
template <typename RowFn>
void channelSums(const float* x, const float* dy, const float* mean, int64_t rows, int64_t channels, std::vector<double>& sumDy,
                 std::vector<double>& sumDyXc, RowFn alsoPerRow) {
  const int nThreads = threadsFor(rows * channels);
  const int ranges = sumRanges();
  std::vector<double> partDy(static_cast<size_t>(ranges) * channels, 0.0), partDyXc(static_cast<size_t>(ranges) * channels, 0.0);
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
  for (int t = 0; t < ranges; ++t) {
    const int64_t begin = rows * t / ranges, end = rows * (t + 1) / ranges;
    // Summed in the thread's own buffers, then stored (see channelMeans).
    std::vector<double> sDy(channels, 0.0), sDyXc(channels, 0.0);
    for (int64_t row = begin; row < end; ++row) {
      const float* xr = x + row * channels;
      const float* dyr = dy + row * channels;
      for (int64_t c = 0; c < channels; ++c) {
        sDy[c] += dyr[c];
        sDyXc[c] += static_cast<double>(dyr[c]) * (xr[c] - mean[c]);
      }
      alsoPerRow(row);
    }
    std::copy(sDy.begin(), sDy.end(), partDy.begin() + static_cast<std::ptrdiff_t>(t) * channels);
    std::copy(sDyXc.begin(), sDyXc.end(), partDyXc.begin() + static_cast<std::ptrdiff_t>(t) * channels);
  }
  sumDy.assign(channels, 0.0);
  sumDyXc.assign(channels, 0.0);
  for (int t = 0; t < ranges; ++t) {
    for (int64_t c = 0; c < channels; ++c) {
      sumDy[c] += partDy[static_cast<size_t>(t) * channels + c];
      sumDyXc[c] += partDyXc[static_cast<size_t>(t) * channels + c];
    }
  }
}

// batchNormGrad(heap, x, dy, mean, variance, scale, dx, dMean, dVariance, dScale, dOffset, rows, channels, epsilon)
//   r = 1/sqrt(variance + eps); dx = dy·r·scale; dmean = −r·scale·Σdy; dvariance = −½·r³·scale·Σdy(x−mean);
//   dscale = r·Σdy(x−mean); doffset = Σdy
Napi::Value BatchNormGrad(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* x = heap.at(num(info[1]));
  const float* dy = heap.at(num(info[2]));
  const float* mean = heap.at(num(info[3]));
  const float* variance = heap.at(num(info[4]));
  const float* scale = num(info[5]) < 0 ? nullptr : heap.at(num(info[5]));
  float* dx = heap.at(num(info[6]));
  float* dMean = heap.at(num(info[7]));
  float* dVariance = heap.at(num(info[8]));
  float* dScale = heap.at(num(info[9]));
  float* dOffset = heap.at(num(info[10]));
  const int64_t rows = static_cast<int64_t>(num(info[11]));
  const int64_t channels = static_cast<int64_t>(num(info[12]));
  const float epsilon = static_cast<float>(num(info[13]));
  std::vector<float> dxFactor(channels);
  for (int64_t c = 0; c < channels; ++c) dxFactor[c] = (scale ? scale[c] : 1.f) / std::sqrt(variance[c] + epsilon);
  std::vector<double> sumDy, sumDyXc;
  channelSums(x, dy, mean, rows, channels, sumDy, sumDyXc, [&](int64_t row) {
    const float* dyr = dy + row * channels;
    float* dxr = dx + row * channels;
    for (int64_t c = 0; c < channels; ++c) dxr[c] = dyr[c] * dxFactor[c];
  });
  for (int64_t c = 0; c < channels; ++c) {
    const double r = 1.0 / std::sqrt(static_cast<double>(variance[c]) + epsilon);
    const double s = scale ? scale[c] : 1.0;
    dMean[c] = static_cast<float>(-r * s * sumDy[c]);
    dVariance[c] = static_cast<float>(-0.5 * r * r * r * s * sumDyXc[c]);
    dScale[c] = static_cast<float>(r * sumDyXc[c]);
    dOffset[c] = static_cast<float>(sumDy[c]);
  }
  return info.Env().Undefined();
}

// batchNormTrainGrad(heap, x, dy, mean, variance, scale, dx, dScale, dOffset, rows, channels, epsilon):
// the gradients of batch normalisation by the batch's own statistics (mean and variance of x), in
// two passes: with r = 1/sqrt(variance + eps) and M rows,
//   dx = scale·r·(dy − Σdy/M − (x−mean)·r²·Σdy(x−mean)/M); dscale = r·Σdy(x−mean); doffset = Σdy
Napi::Value BatchNormTrainGrad(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const float* x = heap.at(num(info[1]));
  const float* dy = heap.at(num(info[2]));
  const float* mean = heap.at(num(info[3]));
  const float* variance = heap.at(num(info[4]));
  const float* scale = num(info[5]) < 0 ? nullptr : heap.at(num(info[5]));
  float* dx = heap.at(num(info[6]));
  float* dScale = heap.at(num(info[7]));
  float* dOffset = heap.at(num(info[8]));
  const int64_t rows = static_cast<int64_t>(num(info[9]));
  const int64_t channels = static_cast<int64_t>(num(info[10]));
  const float epsilon = static_cast<float>(num(info[11]));
  std::vector<double> sumDy, sumDyXc;
  channelSums(x, dy, mean, rows, channels, sumDy, sumDyXc, [](int64_t) {});
  std::vector<float> k1(channels), k2(channels), k3(channels);
  for (int64_t c = 0; c < channels; ++c) {
    const double r = 1.0 / std::sqrt(static_cast<double>(variance[c]) + epsilon);
    dScale[c] = static_cast<float>(r * sumDyXc[c]);
    dOffset[c] = static_cast<float>(sumDy[c]);
    k1[c] = static_cast<float>((scale ? scale[c] : 1.0) * r);
    k2[c] = static_cast<float>(sumDy[c] / static_cast<double>(rows));
    k3[c] = static_cast<float>(r * r * sumDyXc[c] / static_cast<double>(rows));
  }
  const int nThreads = threadsFor(rows * channels);
#pragma omp parallel for schedule(static) num_threads(nThreads) if (nThreads > 1)
  for (int64_t row = 0; row < rows; ++row) {
    const float* xr = x + row * channels;
    const float* dyr = dy + row * channels;
    float* dxr = dx + row * channels;
    for (int64_t c = 0; c < channels; ++c) dxr[c] = k1[c] * (dyr[c] - k2[c] - (xr[c] - mean[c]) * k3[c]);
  }
  return info.Env().Undefined();
}

}  // namespace

void registerBatchNorm(Napi::Env env, Napi::Object exports) {
  exports.Set("batchNormTrainGrad", Napi::Function::New(env, guarded<BatchNormTrainGrad>));
  exports.Set("batchNorm", Napi::Function::New(env, guarded<BatchNorm>));
  exports.Set("batchNormTrain", Napi::Function::New(env, guarded<BatchNormTrain>));
  exports.Set("batchNormGrad", Napi::Function::New(env, guarded<BatchNormGrad>));
}

}  // namespace frugal
