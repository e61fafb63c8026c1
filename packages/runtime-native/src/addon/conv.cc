// 2-D convolutions in tfjs's layouts (activations NHWC, filters HWIO, depthwise filters HWIM):
// forward with fused bias and activation, and the gradients with respect to input and filter.
// Each shape's primitive is made once and cached; filters are reordered into the layout the
// primitive prefers when that differs from tfjs's.
#include "common.h"

namespace frugal {
namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

enum Kind : int32_t { kForward = 0, kBackwardData = 1, kBackwardWeights = 2 };
enum P { N, IH, IW, IC, OC, KH, KW, SH, SW, DH, DW, PT, PL, OH, OW, G, ACT, HAS_BIAS, KIND, COUNT };

struct Geometry {
  memory::desc src, weights, bias, dst;  // tfjs's layouts
  memory::dims strides, dilates, padL, padR;
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
  g.strides = {p[SH], p[SW]};
  g.dilates = {p[DH] - 1, p[DW] - 1};
  // The padding after the input that makes oneDNN's output size equal tfjs's (never negative:
  // rows a strided 'valid' convolution never reads are simply left out).
  auto after = [](int32_t in, int32_t out, int32_t k, int32_t s, int32_t d, int32_t before) {
    int32_t needed = (out - 1) * s + (k - 1) * d + 1 - in - before;
    return needed > 0 ? needed : 0;
  };
  g.padL = {p[PT], p[PL]};
  g.padR = {after(p[IH], p[OH], p[KH], p[SH], p[DH], p[PT]), after(p[IW], p[OW], p[KW], p[SW], p[DW], p[PL])};
  return g;
}

memory::desc anyOf(const memory::desc& md) { return memory::desc(md.dims(), dt::f32, tag::any); }

dnnl::convolution_forward::primitive_desc forwardPd(const Geometry& g, bool bias, const dnnl::primitive_attr& attr) {
  auto desc = bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, g.src,
                                                     anyOf(g.weights), g.bias, g.dst, g.strides, g.dilates, g.padL, g.padR)
                   : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct, g.src,
                                                     anyOf(g.weights), g.dst, g.strides, g.dilates, g.padL, g.padR);
  return dnnl::convolution_forward::primitive_desc(desc, attr, cpuEngine());
}

// A cached convolution: the primitive, and a reorder between tfjs's filter layout and the
// primitive's where they differ.
struct ConvPlan {
  dnnl::primitive conv;
  memory a, b, bias, out;       // user memories (handles set per call); `b` is the filter in the primitive's layout
  memory userWeights;           // tfjs's filter layout, when it differs
  dnnl::reorder weightsReorder; // userWeights -> b (forward, backward data) or b -> userWeights (backward weights)
  bool reorderWeights = false;
  std::string implementation;
};

Cache<ConvPlan>& cache() {
  static Cache<ConvPlan> plans;
  return plans;
}

std::unique_ptr<ConvPlan> makePlan(const int32_t* p, float alpha) {
  auto& eng = cpuEngine();
  Geometry g = geometryOf(p);
  auto plan = std::make_unique<ConvPlan>();
  bool hasBias = p[HAS_BIAS] != 0;
  memory::desc weightsMd;
  if (p[KIND] == kForward) {
    dnnl::post_ops ops;
    addActivation(ops, p[ACT], alpha);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    auto pd = forwardPd(g, hasBias, attr);
    plan->conv = dnnl::convolution_forward(pd);
    plan->a = memory(g.src, eng, nullptr);
    weightsMd = pd.weights_desc();
    if (hasBias) plan->bias = memory(g.bias, eng, nullptr);
    plan->out = memory(g.dst, eng, nullptr);
    plan->implementation = pd.impl_info_str();
  } else if (p[KIND] == kBackwardData) {
    auto hint = forwardPd(g, false, dnnl::primitive_attr());
    dnnl::convolution_backward_data::desc desc(dnnl::algorithm::convolution_direct, g.src, anyOf(g.weights), g.dst, g.strides,
                                               g.dilates, g.padL, g.padR);
    dnnl::convolution_backward_data::primitive_desc pd(desc, eng, hint);
    plan->conv = dnnl::convolution_backward_data(pd);
    plan->a = memory(g.dst, eng, nullptr);   // dy
    plan->out = memory(g.src, eng, nullptr); // dx
    weightsMd = pd.weights_desc();
    plan->implementation = pd.impl_info_str();
  } else {
    auto hint = forwardPd(g, false, dnnl::primitive_attr());
    dnnl::convolution_backward_weights::desc desc(dnnl::algorithm::convolution_direct, g.src, anyOf(g.weights), g.dst, g.strides,
                                                  g.dilates, g.padL, g.padR);
    dnnl::convolution_backward_weights::primitive_desc pd(desc, eng, hint);
    plan->conv = dnnl::convolution_backward_weights(pd);
    plan->a = memory(g.src, eng, nullptr);   // x
    plan->out = memory(g.dst, eng, nullptr); // dy
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

ConvPlan& planFor(const int32_t* p, float alpha) {
  std::string key = keyOf(p, COUNT, alpha);
  ConvPlan* plan = cache().find(key);
  return plan ? *plan : *cache().insert(key, makePlan(p, alpha));
}

// conv(heap, params, a, b, out, bias, alpha)
//   forward:          a = x,  b = filter, out = y,  bias (or -1)
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
  ConvPlan& plan = planFor(p, alpha);
  auto& stream = cpuStream();
  std::unordered_map<int, memory> args;
  if (p[KIND] == kForward) {
    plan.a.set_data_handle(heap.at(a));
    if (plan.reorderWeights) {
      plan.userWeights.set_data_handle(heap.at(b));
      plan.weightsReorder.execute(stream, plan.userWeights, plan.b);
    } else {
      plan.b.set_data_handle(heap.at(b));
    }
    plan.out.set_data_handle(heap.at(out));
    args = {{DNNL_ARG_SRC, plan.a}, {DNNL_ARG_WEIGHTS, plan.b}, {DNNL_ARG_DST, plan.out}};
    if (p[HAS_BIAS]) {
      plan.bias.set_data_handle(heap.at(bias));
      args[DNNL_ARG_BIAS] = plan.bias;
    }
    plan.conv.execute(stream, args);
  } else if (p[KIND] == kBackwardData) {
    plan.a.set_data_handle(heap.at(a));
    if (plan.reorderWeights) {
      plan.userWeights.set_data_handle(heap.at(b));
      plan.weightsReorder.execute(stream, plan.userWeights, plan.b);
    } else {
      plan.b.set_data_handle(heap.at(b));
    }
    plan.out.set_data_handle(heap.at(out));
    plan.conv.execute(stream, {{DNNL_ARG_DIFF_DST, plan.a}, {DNNL_ARG_WEIGHTS, plan.b}, {DNNL_ARG_DIFF_SRC, plan.out}});
  } else {
    plan.a.set_data_handle(heap.at(a));
    plan.out.set_data_handle(heap.at(b));
    if (!plan.reorderWeights) plan.b.set_data_handle(heap.at(out));
    plan.conv.execute(stream, {{DNNL_ARG_SRC, plan.a}, {DNNL_ARG_DIFF_DST, plan.out}, {DNNL_ARG_DIFF_WEIGHTS, plan.b}});
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

}  // namespace

void clearConvCache() { cache().clear(); }

void registerConv(Napi::Env env, Napi::Object exports) {
  exports.Set("conv", Napi::Function::New(env, guarded<Conv>));
  exports.Set("convImplementation", Napi::Function::New(env, guarded<ConvImplementation>));
}

}  // namespace frugal
