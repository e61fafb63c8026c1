{
  "variables": {
    "dnnl_include%": "<!(node -p \"process.env.FRUGAL_DNNL_INCLUDE_DIR || ''\")",
    "dnnl_lib%": "<!(node -p \"process.env.FRUGAL_DNNL_LIB_DIR || ''\")"
  },
  "targets": [
    {
      "target_name": "frugal_native",
      "sources": [
        "src/addon/addon.cc",
        "src/addon/batchnorm.cc",
        "src/addon/conv.cc",
        "src/addon/copy.cc",
        "src/addon/elementwise.cc",
        "src/addon/matmul.cc",
        "src/addon/optimizer.cc",
        "src/addon/pool.cc",
        "src/addon/reduce.cc",
        "src/addon/transform.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-std=c++17", "-O3", "-fopenmp"],
      "libraries": ["-ldnnl", "-fopenmp"],
      "conditions": [
        ["dnnl_include != ''", { "include_dirs": ["<(dnnl_include)"] }],
        ["dnnl_lib != ''", { "libraries": ["-L<(dnnl_lib)", "-Wl,-rpath,<(dnnl_lib)"] }]
      ]
    }
  ]
}
