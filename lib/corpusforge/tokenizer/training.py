"""Train a SentencePiece model that is lossless on code: ``decode(encode(x)) == x``.

SentencePiece is line-oriented and normalises by default; for code that loses indentation,
runs of spaces, tabs and newlines. The options below turn every normalisation off, keep
whitespace-only pieces, fall back to bytes for anything unseen and give newline and tab
their own pieces, so every string round-trips.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import sentencepiece as spm

# Pieces that would otherwise become byte-fallback tokens in nearly every line of code.
WHITESPACE_SYMBOLS = ("\n", "\t", "\r\n")


@dataclass(frozen=True)
class SpecialTokens:
    """Names of the special pieces; control symbols never come out of ordinary text."""

    end_of_text: str = "<|endoftext|>"
    padding: str = "<|pad|>"
    fim_prefix: str = "<|fim_prefix|>"
    fim_middle: str = "<|fim_middle|>"
    fim_suffix: str = "<|fim_suffix|>"


@dataclass(frozen=True)
class TrainingOptions:
    """What shapes the model: kind, size, symbols, and the limits that keep training bounded."""

    model_type: str = "bpe"
    vocab_size: int = 32000
    user_defined_symbols: tuple[str, ...] = ()
    special: SpecialTokens = field(default_factory=SpecialTokens)
    max_sentence_length: int = 8192
    input_sentence_size: int = 5_000_000
    seed: int = 17
    num_threads: int = 2


def training_lines(texts: Iterable[str], max_bytes: int) -> Iterator[str]:
    """The non-empty lines of ``texts``, long lines cut into pieces of at most ``max_bytes``.

    SentencePiece silently skips sentences longer than its ``max_sentence_length``; cutting
    them keeps minified or data-heavy lines in the sample instead of dropping them.
    """
    for text in texts:
        for line in text.split("\n"):
            if not line:
                continue
            data = line.encode("utf-8")
            if len(data) <= max_bytes:
                yield line
                continue
            start = 0
            while start < len(data):
                end = min(start + max_bytes, len(data))
                while end < len(data) and (data[end] & 0xC0) == 0x80:
                    end -= 1  # never cut inside a UTF-8 sequence
                yield data[start:end].decode("utf-8")
                start = end


def train_tokenizer(texts: Iterable[str], options: TrainingOptions) -> bytes:
    """Train on ``texts`` and return the serialized model (``.model`` bytes)."""
    special = options.special
    user_symbols = list(dict.fromkeys([*WHITESPACE_SYMBOLS, *options.user_defined_symbols]))
    model = _Sink()
    spm.set_random_generator_seed(options.seed)  # sampling and shuffling of the input lines
    spm.SentencePieceTrainer.train(
        sentence_iterator=training_lines(texts, options.max_sentence_length),
        model_writer=model,
        model_type=options.model_type,
        vocab_size=options.vocab_size,
        hard_vocab_limit=False,  # a small sample may not support the full vocabulary
        normalization_rule_name="identity",
        remove_extra_whitespaces=False,
        add_dummy_prefix=False,
        allow_whitespace_only_pieces=True,
        split_digits=True,
        byte_fallback=True,
        character_coverage=1.0,
        max_sentence_length=options.max_sentence_length,
        input_sentence_size=options.input_sentence_size,
        shuffle_input_sentence=True,
        seed_sentencepiece_size=1_000_000,
        user_defined_symbols=user_symbols,
        control_symbols=[special.fim_prefix, special.fim_middle, special.fim_suffix],
        unk_id=0, bos_id=-1, eos_id=1, pad_id=2,
        eos_piece=special.end_of_text, pad_piece=special.padding,
        num_threads=options.num_threads,
        minloglevel=2,
    )
    return model.data


class _Sink:
    """``model_writer`` target: SentencePiece calls ``write`` with the serialized model."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: bytes) -> None:
        self.data += data


def load_processor(model: bytes) -> spm.SentencePieceProcessor:
    """A processor for serialized model bytes."""
    return spm.SentencePieceProcessor(model_proto=model)


def model_sha256(model: bytes) -> str:
    """The model's content hash, recorded in manifests."""
    return hashlib.sha256(model).hexdigest()


def special_token_ids(processor: spm.SentencePieceProcessor, special: SpecialTokens) -> dict[str, int]:
    """The id of each special token (each is one piece of the vocabulary)."""
    ids = {}
    for name in ("end_of_text", "padding", "fim_prefix", "fim_middle", "fim_suffix"):
        piece = getattr(special, name)
        pid = processor.piece_to_id(piece)
        if pid == processor.unk_id() or processor.id_to_piece(pid) != piece:
            raise ValueError(f"special token {piece!r} is not in the vocabulary")
        ids[name] = pid
    return ids


def round_trip_failures(processor: spm.SentencePieceProcessor, texts: Iterable[tuple[str, str]],
                        limit: int = 20) -> tuple[int, list[str]]:
    """Check ``decode(encode(x)) == x`` for ``(doc_id, text)`` pairs.

    Returns how many were checked and the ids (at most ``limit``) that did not round-trip.
    """
    checked, failed = 0, []
    for doc_id, text in texts:
        checked += 1
        if processor.decode(processor.encode(text)) != text and len(failed) < limit:
            failed.append(doc_id)
    return checked, failed
