"""The torch names jtorch does not provide on purpose, in groups with one reason each
(``tests/test_api_coverage.py``). Entries are ``"namespace:name"``; a ``*`` matches like
``fnmatch``. Only what tutorial and model code does not call belongs here: a missing name
that scripts use stays missing (and counted) until it is built.

``SIGNATURE_GAPS``: names jtorch has whose parameters differ from torch's on purpose or until
fixed, each with its reason (run as strict xfails).
"""
import fnmatch

_JIT = [
    "AliasDb", "AnyType", "Argument", "ArgumentSpec", "AwaitType", "Block", "BoolType",
    "CallStack", "Capsule", "ClassType", "Code", "CompilationUnit", "CompleteArgumentSpec",
    "ComplexType", "ConcreteModuleType", "ConcreteModuleTypeBuilder", "DeepCopyMemoTable",
    "DeviceObjType", "DictType", "EnumType", "ErrorReport", "ExecutionPlan", "FileCheck",
    "FloatType", "FunctionSchema", "Future", "FutureType", "Gradient", "Graph",
    "GraphExecutorState", "IODescriptor", "InferredType", "IntType", "InterfaceType",
    "JITException", "ListType", "LiteScriptModule", "LockingLogger", "LoggerBase", "Node",
    "NoneType", "NoopLogger", "NumberType", "OperatorInfo", "OptionalType", "PyObjectType",
    "RRefType", "ScriptClass", "ScriptClassFunction", "ScriptDict", "ScriptDictIterator",
    "ScriptDictKeyIterator", "ScriptFunction", "ScriptList", "ScriptListIterator",
    "ScriptMethod", "ScriptModule", "ScriptModuleSerializer", "ScriptObject",
    "ScriptObjectProperty", "StaticModule", "StreamObjType", "StringType", "SymBoolType",
    "SymIntType", "TensorType", "TracingState", "TupleType", "Type", "UnionType", "Use",
    "Value", "fork", "wait", "import_ir_module", "import_ir_module_from_buffer",
    "merge_type_from_type_comment", "parse_ir", "parse_schema", "parse_type_comment",
    "unify_type_list", "ModuleDict", "ParameterDict", "BufferDict", "AggregationType",
    "BenchmarkConfig", "BenchmarkExecutionStats", "ThroughputBenchmark",
    "PyTorchFileReader", "PyTorchFileWriter", "DeserializationStorageContext",
    "SerializationStorageContext",
]
_DISPATCH = [
    "DispatchKey", "DispatchKeySet", "ExcludeDispatchKeyGuard", "DisableTorchFunction",
    "DisableTorchFunctionSubclass", "Tag", "classproperty", "get_file_path",
    "prepare_multiprocessing_environment", "profiler_allow_cudagraph_cupti_lazy_reinit_cuda12",
    "autocast_decrement_nesting", "autocast_increment_nesting", "clear_autocast_cache",
    "get_autocast_ipu_dtype", "get_autocast_xla_dtype", "is_autocast_ipu_enabled",
    "is_autocast_xla_enabled", "set_autocast_ipu_dtype", "set_autocast_ipu_enabled",
    "set_autocast_xla_dtype", "set_autocast_xla_enabled", "segment_reduce", "hash_tensor",
]
_SYMBOLIC = [
    "SymBool", "SymFloat", "SymInt", "sym_constrain_range", "sym_constrain_range_for_size",
    "sym_float", "sym_fresh_size", "sym_int", "sym_ite", "sym_max", "sym_min", "sym_not",
    "sym_sqrt", "sym_sum", "cond", "while_loop",
]
_QUANT = [
    "QInt32Storage", "QInt8Storage", "QUInt2x4Storage", "QUInt4x2Storage", "QUInt8Storage",
    "choose_qparams_optimized", "dequantize", "empty_quantized", "fake_quantize_*",
    "fused_moving_avg_obs_fake_quant", "int_repr", "q_per_channel_*", "q_scale",
    "q_zero_point", "qscheme", "quantize_per_*", "quantized_*",
]
_SPARSE = [
    "ccol_indices_copy", "col_indices_copy", "crow_indices_copy", "row_indices_copy",
    "indices_copy", "values_copy", "dsmm", "hsmm", "hspmm", "smm", "spmm", "sspaddmm",
    "saddmm", "sparse_bsc_tensor", "sparse_bsr_tensor", "sparse_compressed_tensor",
    "sparse_coo_tensor", "sparse_csc_tensor", "sparse_csr_tensor", "resize_as_sparse_",
]
_KERNELS = [
    "cudnn_*", "miopen_*", "mkldnn_*", "fbgemm_*", "batch_norm_backward_elemt",
    "batch_norm_backward_reduce", "batch_norm_elemt", "batch_norm_gather_stats",
    "batch_norm_gather_stats_with_counts", "batch_norm_stats", "batch_norm_update_stats",
    "conv_tbc", "is_vulkan_available",
]
_TENSOR_SPARSE_QUANT = [
    "ccol_indices", "col_indices", "crow_indices", "row_indices", "indices", "values",
    "coalesce", "is_coalesced", "dense_dim", "sparse_dim", "sparse_mask", "sparse_resize_",
    "sparse_resize_and_clear_", "to_sparse", "to_sparse_bsc", "to_sparse_bsr",
    "to_sparse_coo", "to_sparse_csc", "to_sparse_csr", "resize_as_sparse_", "smm",
    "sspaddmm", "to_dense", "is_sparse_csr", "dequantize", "int_repr", "q_per_channel_axis",
    "q_per_channel_scales", "q_per_channel_zero_points", "q_scale", "q_zero_point", "qscheme",
    "to_padded_tensor", "is_mkldnn", "to_mkldnn", "ipu", "is_ipu", "is_maia", "is_mtia",
    "mtia", "is_vulkan", "is_xla", "xpu", "is_xpu", "is_mps",
]

GROUPS = {
    "jit": ("TorchScript/JIT internals (IR, types, script modules, the benchmark harness, the "
            "zip-file reader): jtorch has no TorchScript",
            ["torch:" + n for n in _JIT] + ["testing:FileCheck"]),
    "dispatch": ("dispatcher, torch-function and C++ runtime internals; autocast nesting "
                 "counters and IPU/XLA autocast; no user code calls them",
                 ["torch:" + n for n in _DISPATCH]),
    "symbolic": ("symbolic shapes and torch.export control-flow operators (torch.compile "
                 "internals)", ["torch:" + n for n in _SYMBOLIC]),
    "quantization": ("quantized tensors and their kernels: jtorch has no quantized dtypes",
                     ["torch:" + n for n in _QUANT]),
    "sparse": ("sparse layouts (COO/CSR/CSC/BSR/BSC) and their products: jtorch tensors are "
               "strided only", ["torch:" + n for n in _SPARSE]),
    "kernels": ("backend-specific kernels (cuDNN, MIOpen, oneDNN, FBGEMM, Vulkan, SyncBatchNorm's "
                "CUDA statistics kernels, TBC convolution)", ["torch:" + n for n in _KERNELS]),
    "tensor_layouts": ("Tensor methods of sparse/quantized/nested/mkldnn layouts and of "
                       "devices jtorch does not model (IPU, XPU, MTIA, MAIA, MPS, XLA, Vulkan)",
                       ["Tensor:" + n for n in _TENSOR_SPARSE_QUANT]),
    "reexports": ("names a module merely re-exports (typing helpers, the Tensor class itself) "
                  "or internal helpers of the module",
                  ["fft:Tensor", "nn.functional:Tensor", "nn.functional:boolean_dispatch",
                   "nn.functional:assert_int_or_pair", "nn.functional:handle_torch_function",
                   "nn.functional:has_torch_function",
                   "nn.functional:has_torch_function_unary",
                   "nn.functional:has_torch_function_variadic", "nn:factory_kwargs"]),
    "float8_gemm": ("CUDA float8/grouped GEMM kernels and their enums",
                    ["nn.functional:ScalingType", "nn.functional:SwizzleType",
                     "nn.functional:grouped_mm", "nn.functional:scaled_mm",
                     "nn.functional:scaled_grouped_mm"]),
    "datapipes": ("the deprecated DataPipes of torch.utils.data (moved out to torchdata)",
                  ["utils.data:" + n for n in (
                      "DFIterDataPipe", "DataChunk", "IterDataPipe", "MapDataPipe",
                      "argument_validation", "functional_datapipe",
                      "guaranteed_datapipes_determinism", "non_deterministic",
                      "runtime_validation", "runtime_validation_disabled")]),
    "aten_internals": ("ATen kernels that nn modules call internally and return backward "
                       "buffers or take packed weights (the fused multi-layer RNNs behind "
                       "nn.RNN/LSTM/GRU, native_* norms and dropout with their saved "
                       "statistics, embedding_bag's 4-output kernel), functionalization "
                       "helpers and the per-thread generator hook",
                       ["torch:" + n for n in (
                           "gru", "lstm", "rnn_relu", "rnn_tanh", "native_batch_norm",
                           "native_dropout", "native_group_norm", "native_layer_norm",
                           "native_norm", "embedding_bag", "slice_inverse",
                           "thread_safe_generator")]),
    "streams": ("device streams and events (jtorch runs synchronously on the CPU)",
                ["torch:Event", "torch:Stream"]),
    "ldl": ("LAPACK sytrf's Bunch-Kaufman LDL factorisation and its packed pivot format",
            ["linalg:ldl_factor", "linalg:ldl_factor_ex", "linalg:ldl_solve"]),
    "cuda_streams": ("CUDA stream controls of the autograd engine",
                     ["autograd.graph:set_override_stale_capture_stream",
                      "autograd.graph:set_warn_on_accumulate_grad_stream_mismatch"]),
}

SIGNATURE_GAPS = {
    # torch:* (this file's owner)
    "torch:dtype": "jtorch's dtype constructor is internal (torch's cannot be called at all)",
    "torch:einsum": "jtorch names einsum's parameters (equation, *operands); torch's is (*args)",
    "torch:split": "the table op's first parameter is named self, torch's function tensor",
}


def _patterns():
    table = {}
    for group, (_, names) in GROUPS.items():
        for qual in names:
            ns, _, pat = qual.rpartition(":")
            table.setdefault(ns, []).append(pat)
    return table


_BY_NS = _patterns()


def excluded(ns, name):
    """Whether ``ns.name`` is in an exclusion group."""
    return any(fnmatch.fnmatchcase(name, pat) for pat in _BY_NS.get(ns, ()))
