// 2-D convolutions in tfjs's layouts (activations NHWC, filters HWIO, depthwise filters HWIM):
// forward with fused bias and activation, and the gradients with respect to input and filter.
// Each shape's primitive is made once and cached; filters are reordered into the layout the
// primitive prefers when that differs from tfjs's. In bfloat16 precision (setConvPrecision) the
// forward and input-gradient primitives read their inputs rounded to bfloat16 and accumulate and
// write in float32.
#include "common.h"
#include "onednn-api.h"

#include <algorithm>
#include <atomic>

namespace frugal {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

enum Kind : int32_t { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };
enum P { N, IH, IW, IC, OC, KH, KW, SH, SW, DH, DW, PT, PL, OH, OW, G, ACT, HAS_BIAS, KIND, HAS_RESIDUAL, COUNT };

struct Geometry {
  memory::desc src, weights, bias, dst;  // tfjs's layouts
  ConvShape shape;
};

Geometry geometryOf(const int32_t* p) {
  Geometry g;
  g.src = memory::desc({p[N], p[IC], p[IH], p[IW]}, dt::f32, tag::nhwc);
  g.dst = memory::desc({p[N], p[OC], p[OH], p[OW]}, dt::f32, tag::nhwc);
  if (p[G] == 1) {
    g.weights = memory::desc({p[OC], p[IC], p[KH], p[KW]}, dt::f32, tag::hwio);
  } else {
    g.weights = memory::desc({p[G], p[OC] / p[G], p[IC] / p[G], p[KH], p[KW]}, dt::f32, tag::hwigo);
  }
  g.bias = memory::desc({p[OC]}, dt::f32, tag::x);
  g.shape.strides = {p[SH], p[SW]};
  g.shape.dilates = {p[DH] - 1, p[DW] - 1};
  // The padding after the input that makes oneDNN's output size equal tfjs's (never negative:
  // rows a strided 'valid' convolution never reads are simply left out).
  auto after = [](int32_t in, int32_t out, int32_t k, int32_t s, int32_t d, int32_t before) {
    int32_t needed = (out - 1) * s + (k - 1) * d + 1 - in - before;
    return needed > 0 ? needed : 0;
  };
  g.shape.padL = {p[PT], p[PL]};
  g.shape.padR = {after(p[IH], p[OH], p[KH], p[SH], p[DH], p[PT]), after(p[IW], p[OW], p[KW], p[SW], p[DW], p[PL])};
  return g;
}

memory::desc anyOf(const memory::desc& md, dt type = dt::f32) { return memory::desc(dimsOf(md), type, tag::any); }

// `md` with its values in `type` (an activation's NHWC layout kept).
memory::desc as(const memory::desc& md, dt type) { return memory::desc(dimsOf(md), type, tag::nhwc); }

// Whether the forward and input-gradient primitives read bfloat16 (set from JavaScript, for every
// thread of the process; grouped convolutions stay float32).
std::atomic<bool> bfloat16{false};

// `in`: the type the primitive reads its input activation and filter in.
dnnl::convolution_forward::primitive_desc forwardPd(const Geometry& g, bool bias, const dnnl::primitive_attr& attr, dt in = dt::f32) {
  return convForwardPd(cpuEngine(), as(g.src, in), anyOf(g.weights, in), bias ? &g.bias : nullptr, g.dst, g.shape, attr);
}

// A float32 input of tfjs's (handle set per call) and, in bfloat16 precision, the primitive's
// rounded copy of it.
struct Input {
  memory user, rounded;
  dnnl::reorder round;
  void init(const memory::desc& md, dt type) {
    user = memory(md, cpuEngine(), nullptr);
    if (type == dt::f32) return;
    rounded = memory(as(md, type), cpuEngine());
    round = dnnl::reorder(user, rounded);
  }
  // What the primitive reads, for tfjs's values at `data`.
  const memory& at(float* data, dnnl::stream& stream) {
    user.set_data_handle(data);
    if (!rounded) return user;
    round.execute(stream, user, rounded);
    return rounded;
  }
};

// A cached convolution: the primitive, and a reorder between tfjs's filter layout and the
// primitive's where they differ.
struct ConvPlan {
  dnnl::primitive conv;
  memory a, b, bias, out;       // user memories (handles set per call; `a`: the patches of a columns plan); `b` is the filter in the primitive's layout
  Input x, dy;                  // the activations a primitive reads (forward: x; backward data: dy; backward weights: both)
  memory residual;              // forward with a residual: the tensor added before the activation
  bool residualBySum = false;   // the residual is copied into the output, then summed (not read by a binary post-op)
  memory userWeights;           // tfjs's filter layout, when it differs
  dnnl::reorder weightsReorder; // userWeights -> b (forward, backward data) or b -> userWeights (backward weights)
  bool reorderWeights = false;
  // Forward: constant filters (an inference model's folded ones) already in the primitive's layout,
  // by the key the caller gives each (reordered once, not at every call).
  std::unordered_map<int64_t, memory> constantWeights;
  // Backward weights where oneDNN has no JIT convolution for the shape (many channels on a small
  // image): the input's patches as rows, then one matrix product patchesᵀ · dy written straight
  // into the filter's HWIO layout.
  bool columns = false;
  std::vector<float> patches;
  std::string implementation;
};

Cache<ConvPlan>& cache() {
  thread_local Cache<ConvPlan> plans;
  return plans;
}

std::unique_ptr<ConvPlan> columnPlan(const int32_t* p, const Geometry& g);

bool isReference(const std::string& implementation) { return implementation.rfind("ref", 0) == 0; }

// `in`: the type the primitive reads its inputs in (bfloat16 falls back to float32 where oneDNN
// has only its reference implementation for the shape).
std::unique_ptr<ConvPlan> makePlan(const int32_t* p, float alpha, dt in) {
  auto& eng = cpuEngine();
  Geometry g = geometryOf(p);
  auto plan = std::make_unique<ConvPlan>();
  auto fallBack = [&](const auto& pd) { return in != dt::f32 && isReference(pd.impl_info_str()); };
  bool hasBias = p[HAS_BIAS] != 0;
  memory::desc weightsMd;
  if (p[KIND] == kForward) {
    // A residual: a tensor of the output's shape added before the activation — read by a binary
    // post-op as the output is written, or (where oneDNN's implementation is not a JIT kernel, whose
    // binary post-ops 2.6 gets wrong for some geometries) copied into the output for a sum post-op.
    auto attrWith = [&](bool binaryResidual) {
      dnnl::post_ops ops;
      if (p[HAS_RESIDUAL] && binaryResidual) ops.append_binary(dnnl::algorithm::binary_add, g.dst);
      if (p[HAS_RESIDUAL] && !binaryResidual) ops.append_sum(1.f);
      addActivation(ops, p[ACT], alpha);
      dnnl::primitive_attr attr;
      attr.set_post_ops(ops);
      return attr;
    };
    auto pd = forwardPd(g, hasBias, attrWith(true), in);
    if (fallBack(pd)) return makePlan(p, alpha, dt::f32);
    plan->residualBySum = p[HAS_RESIDUAL] && !isJitKernel(pd.impl_info_str());
    if (plan->residualBySum) pd = forwardPd(g, hasBias, attrWith(false), in);
    plan->conv = dnnl::convolution_forward(pd);
    plan->x.init(g.src, in);
    weightsMd = pd.weights_desc();
    if (hasBias) plan->bias = memory(g.bias, eng, nullptr);
    plan->out = memory(g.dst, eng, nullptr);
    if (p[HAS_RESIDUAL]) plan->residual = memory(g.dst, eng, nullptr);
    plan->implementation = pd.impl_info_str();
  } else if (p[KIND] == kBackwardData) {
    auto hint = forwardPd(g, false, dnnl::primitive_attr(), in);
    auto pd = convBackwardDataPd(eng, g.src, anyOf(g.weights, in), as(g.dst, in), g.shape, hint);
    if (fallBack(pd)) return makePlan(p, alpha, dt::f32);
    plan->conv = dnnl::convolution_backward_data(pd);
    plan->dy.init(g.dst, in);
    plan->out = memory(g.src, eng, nullptr); // dx
    weightsMd = pd.weights_desc();
    plan->implementation = pd.impl_info_str();
  } else {
    auto hint = forwardPd(g, false, dnnl::primitive_attr());
    auto pd = convBackwardWeightsPd(eng, g.src, anyOf(g.weights), g.dst, g.shape, hint);
    if (!isJitKernel(pd.impl_info_str()) && p[G] == 1) return columnPlan(p, g);
    plan->conv = dnnl::convolution_backward_weights(pd);
    plan->x.init(g.src, dt::f32);
    plan->dy.init(g.dst, dt::f32);
    weightsMd = pd.diff_weights_desc();
    plan->implementation = pd.impl_info_str();
  }
  plan->reorderWeights = weightsMd != g.weights;
  if (plan->reorderWeights) {
    plan->b = memory(weightsMd, eng);  // owned scratch in the primitive's layout
    plan->userWeights = memory(g.weights, eng, nullptr);
    plan->weightsReorder = p[KIND] == kBackwardWeights ? dnnl::reorder(plan->b, plan->userWeights) : dnnl::reorder(plan->userWeights, plan->b);
  } else {
    plan->b = memory(g.weights, eng, nullptr);
  }
  return plan;
}

// The patches-and-product plan for the filter gradient (see ConvPlan::columns).
std::unique_ptr<ConvPlan> columnPlan(const int32_t* p, const Geometry&) {
  auto& eng = cpuEngine();
  const memory::dim rows = static_cast<memory::dim>(p[N]) * p[OH] * p[OW];
  const memory::dim taps = static_cast<memory::dim>(p[KH]) * p[KW] * p[IC];
  const memory::dim oc = p[OC];
  memory::desc patchesT({taps, rows}, dt::f32, memory::dims{1, taps});  // patches stored rows × taps
  memory::desc dy({rows, oc}, dt::f32, memory::dims{oc, 1});
  memory::desc dw({taps, oc}, dt::f32, memory::dims{oc, 1});
  auto pd = matMulPd(eng, patchesT, dy, nullptr, dw);
  auto plan = std::make_unique<ConvPlan>();
  plan->conv = dnnl::matmul(pd);
  plan->columns = true;
  plan->patches.resize(static_cast<size_t>(rows * taps));
  plan->a = memory(patchesT, eng, plan->patches.data());
  plan->out = memory(dy, eng, nullptr);
  plan->b = memory(dw, eng, nullptr);
  plan->implementation = std::string("patches + matmul ") + pd.impl_info_str();
  return plan;
}

// Writes each output position's input patch (zeros where it falls in the padding) as a row.
void fillPatches(const int32_t* p, const float* x, float* patches) {
  const int64_t taps = static_cast<int64_t>(p[KH]) * p[KW] * p[IC];
  const int64_t rows = static_cast<int64_t>(p[N]) * p[OH] * p[OW];
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t n = r / (p[OH] * p[OW]);
    const int64_t oy = (r / p[OW]) % p[OH];
    const int64_t ox = r % p[OW];
    float* row = patches + r * taps;
    for (int64_t ky = 0; ky < p[KH]; ++ky) {
      const int64_t iy = oy * p[SH] - p[PT] + ky * p[DH];
      for (int64_t kx = 0; kx < p[KW]; ++kx) {
        const int64_t ix = ox * p[SW] - p[PL] + kx * p[DW];
        float* dst = row + (ky * p[KW] + kx) * p[IC];
        if (iy < 0 || iy >= p[IH] || ix < 0 || ix >= p[IW]) {
          std::fill(dst, dst + p[IC], 0.f);
        } else {
          const float* src = x + ((n * p[IH] + iy) * p[IW] + ix) * p[IC];
          std::copy(src, src + p[IC], dst);
        }
      }
    }
  }
}

ConvPlan& planFor(const int32_t* p, float alpha) {
  // The filter gradient stays float32: oneDNN 2.6's bfloat16 kernel for it is slower than the
  // float32 one for strided and few-channel convolutions, and at most a fifth faster elsewhere.
  const dt in = bfloat16 && p[G] == 1 && p[KIND] != kBackwardWeights ? dt::bf16 : dt::f32;
  std::string key = keyOf(p, COUNT, alpha);
  key.push_back(in == dt::bf16 ? 'b' : 'f');
  ConvPlan* plan = cache().find(key);
  return plan ? *plan : *cache().insert(key, makePlan(p, alpha, in));
}

// conv(heap, params, a, b, out, bias, alpha, residual, filterKey)
//   forward:          a = x,  b = filter, out = y,  bias (or -1), residual (or -1): y = act(conv + bias + residual);
//                     filterKey (or -1): the filter never changes, and is known by this key
//   backward data:    a = dy, b = filter, out = dx
//   backward weights: a = x,  b = dy,     out = dfilter
Napi::Value Conv(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const int32_t* p = paramsOf(info[1], COUNT);
  double a = info[2].As<Napi::Number>().DoubleValue();
  double b = info[3].As<Napi::Number>().DoubleValue();
  double out = info[4].As<Napi::Number>().DoubleValue();
  double bias = info[5].As<Napi::Number>().DoubleValue();
  float alpha = info[6].As<Napi::Number>().FloatValue();
  double residual = info.Length() > 7 ? info[7].As<Napi::Number>().DoubleValue() : -1;
  int64_t filterKey = info.Length() > 8 ? info[8].As<Napi::Number>().Int64Value() : -1;
  ConvPlan& plan = planFor(p, alpha);
  auto& stream = cpuStream();
  std::unordered_map<int, memory> args;
  if (p[KIND] == kForward) {
    const memory& x = plan.x.at(heap.at(a), stream);
    memory weights = plan.b;
    if (plan.reorderWeights && filterKey >= 0) {
      auto found = plan.constantWeights.find(filterKey);
      if (found == plan.constantWeights.end()) {
        if (plan.constantWeights.size() >= 64) plan.constantWeights.clear();
        memory reordered(plan.b.get_desc(), cpuEngine());
        plan.userWeights.set_data_handle(heap.at(b));
        plan.weightsReorder.execute(stream, plan.userWeights, reordered);
        found = plan.constantWeights.emplace(filterKey, reordered).first;
      }
      weights = found->second;
    } else if (plan.reorderWeights) {
      plan.userWeights.set_data_handle(heap.at(b));
      plan.weightsReorder.execute(stream, plan.userWeights, plan.b);
    } else {
      plan.b.set_data_handle(heap.at(b));
    }
    plan.out.set_data_handle(heap.at(out));
    args = {{DNNL_ARG_SRC, x}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, plan.out}};
    if (p[HAS_RESIDUAL]) {
      if (residual < 0) throw std::invalid_argument("conv: a residual convolution needs its residual");
      if (plan.residualBySum) {
        const float* from = heap.at(residual);
        std::copy(from, from + static_cast<int64_t>(p[N]) * p[OH] * p[OW] * p[OC], heap.at(out));
      } else {
        plan.residual.set_data_handle(heap.at(residual));
        args[DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1] = plan.residual;
      }
    }
    if (p[HAS_BIAS]) {
      plan.bias.set_data_handle(heap.at(bias));
      args[DNNL_ARG_BIAS] = plan.bias;
    }
    plan.conv.execute(stream, args);
  } else if (p[KIND] == kBackwardData) {
    const memory& dy = plan.dy.at(heap.at(a), stream);
    if (plan.reorderWeights) {
      plan.userWeights.set_data_handle(heap.at(b));
      plan.weightsReorder.execute(stream, plan.userWeights, plan.b);
    } else {
      plan.b.set_data_handle(heap.at(b));
    }
    plan.out.set_data_handle(heap.at(out));
    plan.conv.execute(stream, {{DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_WEIGHTS, plan.b}, {DNNL_ARG_DIFF_SRC, plan.out}});
  } else if (plan.columns) {
    fillPatches(p, heap.at(a), plan.patches.data());
    plan.out.set_data_handle(heap.at(b));
    plan.b.set_data_handle(heap.at(out));
    plan.conv.execute(stream, {{DNNL_ARG_SRC, plan.a}, {DNNL_ARG_WEIGHTS, plan.out}, {DNNL_ARG_DST, plan.b}});
  } else {
    const memory& x = plan.x.at(heap.at(a), stream);
    const memory& dy = plan.dy.at(heap.at(b), stream);
    if (!plan.reorderWeights) plan.b.set_data_handle(heap.at(out));
    plan.conv.execute(stream, {{DNNL_ARG_SRC, x}, {DNNL_ARG_DIFF_DST, dy}, {DNNL_ARG_DIFF_WEIGHTS, plan.b}});
    if (plan.reorderWeights) {
      plan.userWeights.set_data_handle(heap.at(out));
      plan.weightsReorder.execute(stream, plan.b, plan.userWeights);
    }
  }
  stream.wait();
  return info.Env().Undefined();
}

// The oneDNN implementation a shape gets (for the README's profile and for tests).
Napi::Value ConvImplementation(const Napi::CallbackInfo& info) {
  const int32_t* p = paramsOf(info[0], COUNT);
  return Napi::String::New(info.Env(), planFor(p, 0.f).implementation);
}

// setConvPrecision(bfloat16): whether convolutions read bfloat16 from the next call on.
Napi::Value SetConvPrecision(const Napi::CallbackInfo& info) {
  bfloat16 = info[0].As<Napi::Boolean>().Value();
  return info.Env().Undefined();
}

}  // namespace

void clearConvCache() { cache().clear(); }

void registerConv(Napi::Env env, Napi::Object exports) {
  exports.Set("setConvPrecision", Napi::Function::New(env, guarded<SetConvPrecision>));
  exports.Set("conv", Napi::Function::New(env, guarded<Conv>));
  exports.Set("convImplementation", Napi::Function::New(env, guarded<ConvImplementation>));
}

}  // namespace frugal
