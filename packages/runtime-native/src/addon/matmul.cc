// Batched matrix products in tfjs's layout (row-major, optional transposes, batch broadcast),
// with fused bias and activation for _FusedMatMul.
#include "common.h"
#include "onednn-api.h"

namespace frugal {
namespace {

using dnnl::memory;
using dt = memory::data_type;

enum P { BA, BB, M, K, N, TA, TB, HAS_BIAS, ACT, COUNT };

struct MatMulPlan {
  dnnl::matmul prim;
  memory a, b, bias, c;
};

Cache<MatMulPlan>& cache() {
  thread_local Cache<MatMulPlan> plans;
  return plans;
}

std::unique_ptr<MatMulPlan> makePlan(const int32_t* p, float alpha) {
  auto& eng = cpuEngine();
  const memory::dim m = p[M], k = p[K], n = p[N];
  const memory::dim batch = p[BA] > p[BB] ? p[BA] : p[BB];
  memory::desc a({p[BA], m, k}, dt::f32, p[TA] ? memory::dims{k * m, 1, m} : memory::dims{m * k, k, 1});
  memory::desc b({p[BB], k, n}, dt::f32, p[TB] ? memory::dims{n * k, 1, k} : memory::dims{k * n, n, 1});
  memory::desc c({batch, m, n}, dt::f32, memory::dims{m * n, n, 1});
  memory::desc bias({1, 1, n}, dt::f32, memory::dims{n, n, 1});
  dnnl::post_ops ops;
  addActivation(ops, p[ACT], alpha);
  dnnl::primitive_attr attr;
  attr.set_post_ops(ops);
  auto pd = matMulPd(eng, a, b, p[HAS_BIAS] ? &bias : nullptr, c, attr);
  auto plan = std::make_unique<MatMulPlan>();
  plan->prim = dnnl::matmul(pd);
  plan->a = memory(a, eng, nullptr);
  plan->b = memory(b, eng, nullptr);
  plan->c = memory(c, eng, nullptr);
  if (p[HAS_BIAS]) plan->bias = memory(bias, eng, nullptr);
  return plan;
}

// matMul(heap, params, a, b, out, bias, alpha)
Napi::Value MatMul(const Napi::CallbackInfo& info) {
  Heap heap = heapOf(info[0]);
  const int32_t* p = paramsOf(info[1], COUNT);
  float alpha = info[6].As<Napi::Number>().FloatValue();
  std::string key = keyOf(p, COUNT, alpha);
  MatMulPlan* plan = cache().find(key);
  if (!plan) plan = cache().insert(key, makePlan(p, alpha));
  plan->a.set_data_handle(heap.at(info[2].As<Napi::Number>().DoubleValue()));
  plan->b.set_data_handle(heap.at(info[3].As<Napi::Number>().DoubleValue()));
  plan->c.set_data_handle(heap.at(info[4].As<Napi::Number>().DoubleValue()));
  std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, plan->a}, {DNNL_ARG_WEIGHTS, plan->b}, {DNNL_ARG_DST, plan->c}};
  if (p[HAS_BIAS]) {
    plan->bias.set_data_handle(heap.at(info[5].As<Napi::Number>().DoubleValue()));
    args[DNNL_ARG_BIAS] = plan->bias;
  }
  auto& stream = cpuStream();
  plan->prim.execute(stream, args);
  stream.wait();
  return info.Env().Undefined();
}

}  // namespace

void clearMatMulCache() { cache().clear(); }

void registerMatMul(Napi::Env env, Napi::Object exports) { exports.Set("matMul", Napi::Function::New(env, guarded<MatMul>)); }

}  // namespace frugal
