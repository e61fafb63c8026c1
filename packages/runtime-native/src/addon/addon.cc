// The module: engine and stream, threads, version facts, and each file's kernels.
#include "common.h"
#include "onednn-api.h"

#include <dlfcn.h>
#include <omp.h>

namespace frugal {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  thread_local dnnl::stream stream(cpuEngine());
  return stream;
}

void addActivation(dnnl::post_ops& ops, int32_t activation, float alpha) {
  switch (activation) {
    case kLinear:
      return;
    case kRelu:
      appendEltwise(ops, dnnl::algorithm::eltwise_relu, 0.f, 0.f);
      return;
    case kRelu6:
      appendEltwise(ops, dnnl::algorithm::eltwise_clip, 0.f, 6.f);
      return;
    case kElu:
      appendEltwise(ops, dnnl::algorithm::eltwise_elu, 1.f, 0.f);
      return;
    case kSigmoid:
      appendEltwise(ops, dnnl::algorithm::eltwise_logistic, 0.f, 0.f);
      return;
    case kLeakyRelu:
      appendEltwise(ops, dnnl::algorithm::eltwise_relu, alpha, 0.f);
      return;
    default:
      throw std::invalid_argument("unknown activation " + std::to_string(activation));
  }
}

Heap heapOf(const Napi::Value& value) {
  if (!value.IsArrayBuffer()) throw std::invalid_argument("expected the wasm heap (an ArrayBuffer)");
  auto buffer = value.As<Napi::ArrayBuffer>();
  return Heap{static_cast<uint8_t*>(buffer.Data()), buffer.ByteLength()};
}

const int32_t* paramsOf(const Napi::Value& value, size_t expected) {
  if (!value.IsTypedArray()) throw std::invalid_argument("expected an Int32Array of parameters");
  auto array = value.As<Napi::Int32Array>();
  if (array.ElementLength() != expected) {
    throw std::invalid_argument("expected " + std::to_string(expected) + " parameters, got " + std::to_string(array.ElementLength()));
  }
  return array.Data();
}

int threads() { return omp_get_max_threads(); }

namespace {
int64_t parallelAbove = int64_t{1} << 20;
}  // namespace

int threadsFor(int64_t elements) { return elements > parallelAbove ? omp_get_max_threads() : 1; }

int sumRanges() { return omp_get_max_threads(); }

void clearCaches() {
  clearConvCache();
  clearMatMulCache();
}

namespace {

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  int n = info[0].As<Napi::Number>().Int32Value();
  if (n < 1) throw Napi::RangeError::New(info.Env(), "threads must be at least 1");
  omp_set_num_threads(n);
  clearCaches();  // oneDNN primitives are specialised for the thread count they were made with.
  return info.Env().Undefined();
}

Napi::Value SetParallelAbove(const Napi::CallbackInfo& info) {
  const double n = info[0].As<Napi::Number>().DoubleValue();
  if (!(n >= 0)) throw Napi::RangeError::New(info.Env(), "parallelAbove must be a count of values");
  parallelAbove = static_cast<int64_t>(n);
  return info.Env().Undefined();
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  auto out = Napi::Object::New(env);
  const dnnl_version_t* v = dnnl_version();
  out.Set("dnnl", std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch));
  // The library file the loader found (the distribution's, or DNNLROOT's through the addon's run path).
  Dl_info library;
  out.Set("library", dladdr(reinterpret_cast<void*>(&dnnl_version), &library) && library.dli_fname ? library.dli_fname : "");
  out.Set("threads", omp_get_max_threads());
  out.Set("cores", omp_get_num_procs());
  const char* isa = "unknown";
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::sse41: isa = "sse4.1"; break;
    case dnnl::cpu_isa::avx: isa = "avx"; break;
    case dnnl::cpu_isa::avx2: isa = "avx2"; break;
    case dnnl::cpu_isa::avx512_core: isa = "avx512"; break;
    case dnnl::cpu_isa::avx512_core_vnni: isa = "avx512-vnni"; break;
    case dnnl::cpu_isa::avx512_core_bf16: isa = "avx512-bf16"; break;
    case dnnl::cpu_isa::avx512_core_amx: isa = "avx512-amx"; break;
    case dnnl::cpu_isa::avx2_vnni: isa = "avx2-vnni"; break;
    default: break;
  }
  out.Set("isa", isa);
  return out;
}

}  // namespace

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("setThreads", Napi::Function::New(env, guarded<SetThreads>));
  exports.Set("setParallelAbove", Napi::Function::New(env, guarded<SetParallelAbove>));
  exports.Set("info", Napi::Function::New(env, guarded<Info>));
  registerConv(env, exports);
  registerMatMul(env, exports);
  registerBatchNorm(env, exports);
  registerPool(env, exports);
  registerReduce(env, exports);
  registerElementwise(env, exports);
  registerOptimizer(env, exports);
  registerCopy(env, exports);
  registerTransform(env, exports);
  return exports;
}

}  // namespace frugal

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return frugal::Init(env, exports); }

NODE_API_MODULE(frugal_native, InitModule)
