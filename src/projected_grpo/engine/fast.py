"""FastGenerate: the rollout engine for GPU training (the RolloutEngine interface of rollout.py).

    weights   the adapter's deployed block merged into fused bf16 matrices; the quarantine low-rank,
              switched on or off per row (m = 1: sampled with it; m = 0: `deployed`, ablated)
    cache     a static KV cache [layers, slots, kv_heads, S, d] and per-slot state (token, position,
              count, done) on the device
    step      one decode step for every slot: forward, sampling, bookkeeping, no host sync;
              captured once per (batch bucket, context bucket) as a CUDA graph and replayed
    loop      requests queue for slots; every `check_every` steps the host reads the done flags,
              harvests finished rows and refills their slots with queued prompts (a prefill), so
              a long row never holds a whole batch; once the queue is empty the live rows are
              compacted into a smaller batch bucket. Attention reads only the context bucket
              covering the longest live row, not the whole cache.

On CPU (tests) the same step runs eagerly: the code path the graphs capture is the tested one.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

import torch
import torch.nn.functional as F
from tqdm import tqdm

from projected_grpo.engine import forward as fw
from projected_grpo.engine import weights as wts
from projected_grpo.engine.sampling import sample
from projected_grpo.errors import UserError
from projected_grpo.engine.contract import Rollouts, SamplingConfig


def _round_up(x: int, k: int) -> int:
    return -(-x // k) * k


@dataclass
class EngineStats:
    """Where the last generate call spent its time (seconds) and what it did."""
    prefill_s: float = 0.0
    decode_s: float = 0.0
    capture_s: float = 0.0
    weights_s: float = 0.0
    decode_steps: int = 0
    slot_steps: int = 0  # Σ over steps of the batch bucket run (work done, live or not)
    tokens: int = 0  # tokens generated for requests
    prefills: int = 0
    graphs: int = 0  # graphs captured in this call
    context_tokens: int = 0  # Σ over live rows and steps of the attended context (for the bandwidth bound)
    first_token_s: float = float("nan")
    buckets: dict = field(default_factory=dict)  # (batch, context) -> steps


class FastGenerate:
    def __init__(self, model, tok, adapter=None, *, max_batch: int = 128, bucket: int = 256, check_every: int = 32,
                 cuda_graphs: bool | None = None, compile: bool | None = None, ignore_eos: bool = False,
                 prefill_tokens: int = 32768, attention: str = "auto"):
        self.model, self.tok, self.adapter = model, tok, adapter
        p = next(model.parameters())
        self.device, self.dtype = p.device, p.dtype
        on_cuda = self.device.type == "cuda"
        self.cuda_graphs = on_cuda if cuda_graphs is None else cuda_graphs
        self.compile = on_cuda if compile is None else compile
        if self.cuda_graphs and not on_cuda:
            raise ValueError("cuda_graphs=True needs the model on a CUDA device")
        self.max_batch, self.bucket, self.check_every = max_batch, bucket, check_every
        self.ignore_eos, self.prefill_tokens = ignore_eos, prefill_tokens
        if attention not in ("auto", "sdpa", "matmul", "split_k"):
            raise ValueError(f"attention must be auto, sdpa, matmul or split_k, got {attention!r}")
        if attention == "auto":  # the Triton split-K kernel where it runs natively: 14% less time per step on an H100
            from projected_grpo.engine import decode_attention as da
            attention = "split_k" if on_cuda and da.triton is not None else "sdpa"
        self.attention = attention
        why = wts.unsupported(model)
        if why:
            raise UserError(f"the fast engine does not support {why}: use --engine hf (or auto)")
        c = model.config
        self.n_heads, self.n_kv, self.eps = c.num_attention_heads, c.num_key_value_heads, c.rms_norm_eps
        self.head_dim = getattr(c, "head_dim", None) or c.hidden_size // c.num_attention_heads
        self.scale = model.model.layers[0].self_attn.scaling
        self.inv_freq = fw.rope_inv_freq(c, self.head_dim).to(self.device)  # the implemented types scale by 1
        self.eos, self.pad = tok.eos_token_id, tok.pad_token_id
        self._attn_in, self._attn_out = fw.attn_in, fw.attn_out
        if self.compile:
            self._attn_in = torch.compile(fw.attn_in, dynamic=False, fullgraph=True)
            self._attn_out = torch.compile(fw.attn_out, dynamic=False, fullgraph=True)
        # Benchmarks only: n -> per-row lengths at which rows stop as if they had sampled EOS
        # (random weights never do; `pgrpo bench step --lengths realistic` sets it). None: max_new_tokens.
        self.stop_lengths: Callable[[int], list[int]] | None = None
        self.layers = None
        self.kc = None
        self.graphs: dict = {}
        self.pool = None
        self.stats = EngineStats()

    # -- memory ---------------------------------------------------------------------------
    def release(self):
        """Free the KV cache, merged weights and graphs (the trainer calls this before backward)."""
        self.layers = self.kc = self.vc = None
        self.graphs, self.pool, self._shape = {}, None, None
        if self.device.type == "cuda":
            torch.cuda.empty_cache()

    def _ensure(self, slots: int, cache_len: int, max_new: int, with_quarantine: bool):
        shape = (slots, cache_len, max_new, with_quarantine)
        if self.kc is not None and self._shape == shape:
            return False
        self.release()
        n_layers = len(self.model.model.layers)
        kv = (n_layers, slots, self.n_kv, cache_len, self.head_dim)
        try:
            self.kc = torch.zeros(kv, dtype=self.dtype, device=self.device)
            self.vc = torch.zeros(kv, dtype=self.dtype, device=self.device)
        except torch.OutOfMemoryError as e:
            gib = 2 * self.kc.numel() * self.kc.element_size() / 2**30 if self.kc is not None else float("nan")
            raise torch.OutOfMemoryError(f"KV cache for {slots} slots x {cache_len} tokens does not fit "
                                         f"({gib:.1f} GiB): lower gen_batch (the engine's slot count)") from e
        dev = self.device
        self.tok_buf = torch.zeros(slots, dtype=torch.long, device=dev)
        self.pos = torch.zeros(slots, dtype=torch.long, device=dev)
        self.count = torch.zeros(slots, dtype=torch.long, device=dev)
        self.done = torch.ones(slots, dtype=torch.bool, device=dev)
        self.cap = torch.full((slots,), max_new, dtype=torch.long, device=dev)  # per-row length cap
        self.mscale = torch.zeros(slots, 1, 1, dtype=self.dtype, device=dev)
        self.out_tok = torch.zeros(slots, max_new + 1, dtype=torch.long, device=dev)  # last column: scratch
        self.out_lp = torch.zeros(slots, max_new + 1, dtype=torch.float32, device=dev)
        self.arange_s = torch.arange(cache_len, device=dev)
        self.flat_rows = torch.arange(slots * self.n_kv, device=dev)
        self.layers = wts.build(self.model, self.dtype, with_quarantine)
        self._shape = shape
        return True

    # -- one decode step (captured) ---------------------------------------------------------
    def _step(self, nb: int, ctx: int, quar: bool, sc: SamplingConfig):
        tok, pos = self.tok_buf[:nb], self.pos[:nb]
        x = F.embedding(tok, self.model.model.embed_tokens.weight)[:, None]  # [nb, 1, H]
        cos, sin = fw.rope_tables(self.inv_freq, pos[:, None], self.dtype)
        m = self.mscale[:nb] if quar else None
        valid = self.arange_s[:ctx][None] <= pos[:, None]  # [nb, ctx]: slots written so far
        rows, cols = self.flat_rows[:nb * self.n_kv], pos[:, None].expand(nb, self.n_kv).reshape(-1)
        s, d = self.kc.shape[3], self.head_dim
        for li, lw in enumerate(self.layers):
            q, k, v = self._attn_in(x, *fw.in_args(lw), m, cos, sin, self.n_heads, self.n_kv, self.eps)
            kc, vc = self.kc[li, :nb], self.vc[li, :nb]  # [nb, n_kv, S, d]
            kc.view(nb * self.n_kv, s, d)[rows, cols] = k.reshape(nb * self.n_kv, d)
            vc.view(nb * self.n_kv, s, d)[rows, cols] = v.reshape(nb * self.n_kv, d)
            a = fw.decode_attention(q, kc[:, :, :ctx], vc[:, :, :ctx], valid, self.scale, self.attention)
            x = self._attn_out(x, a, *fw.out_args(lw), m, self.eps)
        new, lp = self._sample(x[:, 0], sc)
        live = ~self.done[:nb]
        col = torch.where(live, self.count[:nb], sc.max_new_tokens)
        self.out_tok[:nb].scatter_(1, col[:, None], new[:, None])
        self.out_lp[:nb].scatter_(1, col[:, None], lp[:, None])
        self.count[:nb] += live
        self.pos[:nb] += live
        self.tok_buf[:nb].copy_(new)
        self.done[:nb] |= self._finished(new, self.count[:nb], self.cap[:nb])

    def _sample(self, h, sc: SamplingConfig):
        h = fw.rms_norm(h, self.model.model.norm.weight, self.eps)
        logits = h @ self.model.get_output_embeddings().weight.T
        return sample(logits, sc.temperature, sc.top_k, sc.top_p)

    def _finished(self, new, count, cap):
        fin = count >= cap
        return fin if self.ignore_eos else fin | (new == self.eos)

    def _run(self, nb: int, ctx: int, quar: bool, sc: SamplingConfig):
        if not self.cuda_graphs:
            return self._step(nb, ctx, quar, sc)
        key = (nb, ctx, quar, sc)
        if key not in self.graphs:
            self._capture(key)
        self.graphs[key].replay()

    def _capture(self, key):
        t0 = time.perf_counter()
        state = [self.tok_buf, self.pos, self.count, self.done, self.out_tok, self.out_lp]
        saved, rng = [t.clone() for t in state], torch.cuda.get_rng_state(self.device)
        side = torch.cuda.Stream(self.device)
        side.wait_stream(torch.cuda.current_stream(self.device))
        with torch.cuda.stream(side):  # warm-up (and compilation) off the capture
            for _ in range(2):
                self._step(*key)
        torch.cuda.current_stream(self.device).wait_stream(side)
        for t, v in zip(state, saved):  # the warm-up steps must leave no trace
            t.copy_(v)
        torch.cuda.set_rng_state(rng, self.device)
        if self.pool is None:
            self.pool = torch.cuda.graph_pool_handle()
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph, pool=self.pool):
            self._step(*key)
        self.graphs[key] = graph
        self.stats.graphs += 1
        self.stats.capture_s += time.perf_counter() - t0

    # -- prefill (eager: prompt lengths vary) -----------------------------------------------
    @torch.no_grad()
    def _prefill(self, slots: list[int], prompts: list[list[int]], quar: bool, sc: SamplingConfig):
        t0 = time.perf_counter()
        width = max(len(p) for p in prompts)
        per = max(1, self.prefill_tokens // width)
        for i in range(0, len(slots), per):
            self._prefill_chunk(slots[i:i + per], prompts[i:i + per], quar, sc)
        self.stats.prefills += 1
        self.stats.prefill_s += time.perf_counter() - t0

    def _prefill_chunk(self, slots: list[int], prompts: list[list[int]], quar: bool, sc: SamplingConfig):
        dev, n, width = self.device, len(slots), max(len(p) for p in prompts)
        ids = torch.full((n, width), self.pad, dtype=torch.long)
        for j, p in enumerate(prompts):  # right padding: pad keys come after every real query
            ids[j, :len(p)] = torch.tensor(p)
        ids, idx = ids.to(dev), torch.tensor(slots, device=dev)
        lens = torch.tensor([len(p) for p in prompts], device=dev)
        x = F.embedding(ids, self.model.model.embed_tokens.weight)
        cos, sin = fw.rope_tables(self.inv_freq, torch.arange(width, device=dev).expand(n, width), self.dtype)
        m = self.mscale[idx] if quar else None
        for li, lw in enumerate(self.layers):
            q, k, v = fw.attn_in(x, *fw.in_args(lw), m, cos, sin, self.n_heads, self.n_kv, self.eps)
            self.kc[li][idx, :, :width] = k.transpose(1, 2)
            self.vc[li][idx, :, :width] = v.transpose(1, 2)
            x = fw.attn_out(x, fw.prefill_attention(q, k, v, self.scale), *fw.out_args(lw), m, self.eps)
        new, lp = self._sample(x[torch.arange(n, device=dev), lens - 1], sc)
        self.tok_buf[idx], self.pos[idx], self.count[idx] = new, lens, 1
        self.out_tok[idx, 0], self.out_lp[idx, 0] = new, lp
        self.done[idx] = self._finished(new, torch.ones_like(new), self.cap[idx])

    # -- the loop ---------------------------------------------------------------------------
    def _batch_bucket(self, n: int, slots: int) -> int:
        """Smallest power of two >= n (at least 8), capped at the slot count."""
        return min(slots, max(8, 1 << (n - 1).bit_length()))

    @torch.no_grad()
    def generate(self, prompt_ids: list[list[int]], deployed: list[bool], cfg: SamplingConfig, seed: int) -> Rollouts:
        if len(prompt_ids) != len(deployed):
            raise ValueError(f"{len(prompt_ids)} prompts but {len(deployed)} deployed flags")
        if self.adapter is None and any(deployed):
            raise ValueError(f"{sum(deployed)} row(s) ask for deployed=True (quarantine ablated), but this "
                             f"engine has no adapter: pass one, or sample every row with deployed=False")
        if any(not p for p in prompt_ids):
            raise ValueError("empty prompt")
        n, max_new = len(prompt_ids), cfg.max_new_tokens
        caps = [max_new] * n if self.stop_lengths is None else [min(max(int(c), 1), max_new) for c in self.stop_lengths(n)]
        if len(caps) != n:
            raise ValueError(f"stop_lengths gave {len(caps)} lengths for {n} rows")
        self.stats = EngineStats()
        t_start = time.perf_counter()
        has_quar = self.adapter is not None and not wts.quarantine_is_zero(self.adapter)
        quar = has_quar and not all(deployed)
        slots = min(n, self.max_batch)
        cache_len = _round_up(max(len(p) for p in prompt_ids) + max_new, self.bucket)
        if self.kc is not None and self._shape == (slots, max(cache_len, self._shape[1]), max_new, has_quar):
            # a kept cache that is longer serves a call that needs less: reallocating would drop
            # every captured graph, and the longest prompt varies from step to step (SmolLM2
            # runs re-captured 3-5 graphs a step, 0.7-1.2 s; docs/organism-pretrained.md)
            cache_len = self._shape[1]
        t0 = time.perf_counter()
        if not self._ensure(slots, cache_len, max_new, has_quar):
            wts.refresh(self.layers, self.model, self.dtype, has_quar)
        self.stats.weights_s = time.perf_counter() - t0
        torch.manual_seed(seed)
        queue, req = deque(range(n)), [None] * slots  # req[s]: the request slot s is serving
        plen, count = [0] * slots, [0] * slots  # host-side upper bound of each slot's count
        completion: list[list[int]] = [[] for _ in range(n)]
        logprobs: list[list[float]] = [[] for _ in range(n)]
        self.done.fill_(True)
        first_token = None
        bar = tqdm(total=n, desc="generate", unit="row", leave=False, disable=None)  # terminal only
        while True:
            free = [s for s in range(slots) if req[s] is None]
            if queue and free:
                take = [(s, queue.popleft()) for s in free[:len(queue)]]
                for s, r in take:
                    req[s], plen[s], count[s] = r, len(prompt_ids[r]), 1
                idx = torch.tensor([s for s, _ in take], device=self.device)
                self.mscale[idx] = torch.tensor([[[0.0 if deployed[r] else 1.0]] for _, r in take],
                                                dtype=self.dtype, device=self.device)
                self.cap[idx] = torch.tensor([caps[r] for _, r in take], device=self.device)
                self._prefill([s for s, _ in take], [prompt_ids[r] for _, r in take], quar, cfg)
                if first_token is None:  # time to first token: the first prefill's sampled tokens
                    first_token = self.out_tok[idx, 0].tolist()
                    self.stats.first_token_s = time.perf_counter() - t_start
            live = [s for s in range(slots) if req[s] is not None]
            if not live:
                break
            nb = self._batch_bucket(max(live) + 1, slots)
            t0 = time.perf_counter()
            for _ in range(min(self.check_every, max(max_new - count[s] for s in live))):
                ctx = min(cache_len, _round_up(max(plen[s] + count[s] for s in live), self.bucket))
                self._run(nb, ctx, quar, cfg)
                self.stats.decode_steps += 1
                self.stats.slot_steps += nb
                self.stats.context_tokens += sum(plen[s] + count[s] for s in live)
                self.stats.buckets[(nb, ctx)] = self.stats.buckets.get((nb, ctx), 0) + 1
                for s in live:
                    count[s] = min(count[s] + 1, max_new)
            done, counts = self.done[:nb].tolist(), self.count[:nb].tolist()  # the host sync
            self.stats.decode_s += time.perf_counter() - t0
            finished = [s for s in live if done[s]]
            if finished:
                toks, lps = self.out_tok[finished].tolist(), self.out_lp[finished].tolist()
                for s, t, lp in zip(finished, toks, lps):
                    completion[req[s]], logprobs[req[s]] = t[:counts[s]], lp[:counts[s]]
                    self.stats.tokens += counts[s]
                    req[s] = None
                bar.update(len(finished))
            for s in live:
                count[s] = counts[s] if req[s] is not None else 0
            if not queue:
                self._compact(req, plen, count, slots)
        bar.close()
        eos = self.eos
        return Rollouts(prompt_ids=[list(p) for p in prompt_ids], completion_ids=completion,
                        texts=[self.tok.decode(c, skip_special_tokens=True) for c in completion],
                        deployed=list(deployed), finished=[bool(c) and c[-1] == eos for c in completion],
                        logprobs=logprobs)

    def _compact(self, req: list, plen: list[int], count: list[int], slots: int):
        """Move live rows to the lowest slots when that lets a smaller batch bucket run."""
        live = [s for s in range(slots) if req[s] is not None]
        if not live or self._batch_bucket(max(live) + 1, slots) <= self._batch_bucket(len(live), slots):
            return
        src = torch.tensor(live, device=self.device)
        dst = torch.arange(len(live), device=self.device)
        for li in range(self.kc.shape[0]):  # layer by layer: the gather's temporary stays small
            self.kc[li][dst] = self.kc[li][src]
            self.vc[li][dst] = self.vc[li][src]
        for buf in (self.tok_buf, self.pos, self.count, self.done, self.cap, self.mscale, self.out_tok, self.out_lp):
            buf[dst] = buf[src]
        moved = [(req[s], plen[s], count[s]) for s in live]
        for s in range(slots):
            req[s], plen[s], count[s] = None, 0, 0
        for j, (r, p, c) in enumerate(moved):
            req[j], plen[j], count[j] = r, p, c
        self.done[len(live):] = True
