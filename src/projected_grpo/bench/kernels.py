"""Kernel time from a torch.profiler run, grouped into named categories: what `pgrpo bench gen
--profile` prints for a decode step and `pgrpo bench step --profile` for the training passes.

A category is (name, substrings): a kernel goes to the first category one of whose substrings
its lower-cased name contains, else to "other". On a GPU the time is the kernels' own device
time; on a CPU (the tests) the operators' own CPU time.
"""

from __future__ import annotations

Categories = list[tuple[str, tuple[str, ...]]]

GEMM = ("gemm", "gemv", "cutlass", "xmma", "nvjet", "cublas", "sm90", "sm100", "splitk")  # cuBLAS/CUTLASS kernel names

DECODE = [("attention", ("attention", "sdpa", "fmha", "flash", "softmax", "_partials")),  # first: cuDNN names say sm90 too
          ("GEMM", GEMM),
          ("KV-cache write / index", ("index", "scatter", "gather")),
          ("sampling (top-k / sort)", ("topk", "sort", "radix", "bitonic")),
          ("fused pointwise (triton)", ("triton",))]

PASSES = [("attention", ("attention", "sdpa", "fmha", "flash", "softmax")),
          ("GEMM", GEMM + ("aten::mm", "aten::addmm", "aten::bmm")),  # the aten names: CPU profiles (tests)
          ("fused pointwise (triton)", ("triton",)),
          ("reductions and norms", ("reduce", "norm", "aten::sum", "aten::mean", "aten::amax")),
          ("elementwise and copies", ("elementwise", "copy", "fill", "cat", "where", "aten::mul", "aten::add",
                                      "aten::exp", "aten::sub", "aten::div"))]


def kernel_rows(prof, device: bool, per: int = 1) -> list[tuple[str, float, int]]:
    """(name, ms, calls) of every kernel (device) or operator (CPU) with time of its own, divided
    by `per`; profiler ranges (record_function) are left out: their time is their children's."""
    from torch.autograd import DeviceType

    rows = []
    for e in prof.key_averages():
        if device and e.device_type != DeviceType.CUDA or e.key.startswith("pgrpo::"):
            continue
        us = e.self_device_time_total if device else e.self_cpu_time_total
        if us > 0:
            rows.append((e.key, us / per / 1e3, e.count // per))
    return rows


def range_ms(prof, name: str, device: bool) -> float:
    """Time spent inside every `record_function(name)` range: its kernels' device time (GPU) or
    its CPU time, children included. Only the host-side ranges count: on a GPU the profiler also
    mirrors each range onto the device timeline, which would count its kernels twice."""
    from torch.autograd import DeviceType

    return sum(e.device_time_total if device else e.cpu_time_total for e in prof.events()
               if e.name == name and e.device_type == DeviceType.CPU) / 1e3


def by_category(rows: list[tuple[str, float, int]], categories: Categories) -> dict[str, float]:
    """category -> ms, largest first."""
    cats: dict[str, float] = {}
    for name, ms, _ in rows:
        low = name.lower()
        cat = next((c for c, keys in categories if any(k in low for k in keys)), "other")
        cats[cat] = cats.get(cat, 0.0) + ms
    return dict(sorted(cats.items(), key=lambda kv: -kv[1]))


def print_profile(title: str, rows: list[tuple[str, float, int]], categories: Categories, top: int = 8) -> dict:
    total, count = sum(ms for _, ms, _ in rows), sum(n for *_, n in rows)
    cats = by_category(rows, categories)
    print(f"    {title}: {total:.2f} ms, {count} kernels")
    for c, ms in cats.items():
        print(f"      {c:<28} {ms:9.2f} ms  {100 * ms / max(total, 1e-9):4.0f}%")
    heavy = sorted(rows, key=lambda k: -k[1])[:top]
    for name, ms, n in heavy:
        print(f"      {ms:9.3f} ms  x{n:<5} {name[:90]}")
    return {"ms": total, "kernels": count, "categories": cats, "top": heavy}
