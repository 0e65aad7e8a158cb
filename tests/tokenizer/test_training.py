"""Tokenizer training: lossless round trip on code, special tokens, long lines, symbols."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusforge.tokenizer.training import (SpecialTokens, TrainingOptions, load_processor,
                                            model_sha256, round_trip_failures, special_token_ids,
                                            train_tokenizer, training_lines)

ROOT = Path(__file__).resolve().parents[2]
HARD_TEXTS = [
    "    indented\n\n\n\ttabbed\t\tx  \n",
    "trailing spaces   \r\nwindows line\r\n",
    " leading space and  double  spaces",
    "ünïcödé 中文 😀 emoji, zero-width\u200bspace, NUL \x00 and \x7f",
    "digits 1234567890 3.14159e-10 0xFF_FF",
    "literal special text <|endoftext|> <|fim_prefix|> stays text",
    "",
    "\n",
    "a" * 20000,  # one line longer than max_sentence_length
]


def _corpus() -> list[str]:
    files = sorted(ROOT.glob("samples/**/*.ts")) + sorted(ROOT.glob("samples/**/*.tsx"))
    return [f.read_text(encoding="utf-8", errors="replace") for f in files]


@pytest.fixture(scope="module")
def processor():
    options = TrainingOptions(vocab_size=600, user_defined_symbols=("DFrame.useState", "ONCE"),
                              max_sentence_length=512)
    return load_processor(train_tokenizer(_corpus(), options))


def test_every_sample_file_and_hard_text_round_trips(processor):
    texts = [(str(i), t) for i, t in enumerate(_corpus() + HARD_TEXTS)]
    checked, failed = round_trip_failures(processor, texts)
    assert checked == len(texts)
    assert failed == []


def test_special_tokens_are_single_pieces_that_text_cannot_produce(processor):
    ids = special_token_ids(processor, SpecialTokens())
    assert len(set(ids.values())) == 5
    assert processor.id_to_piece(ids["end_of_text"]) == "<|endoftext|>"
    # Control symbols: literal text never becomes a special id.
    literal = processor.encode("<|endoftext|>")
    assert ids["end_of_text"] not in literal and len(literal) > 1


def test_user_symbols_and_whitespace_are_whole_pieces(processor):
    assert processor.encode("DFrame.useState", out_type=str) == ["DFrame.useState"]
    assert "\n" in processor.encode("a;\nb;", out_type=str)
    assert processor.encode("1234", out_type=str) == ["1", "2", "3", "4"]  # digits split


def test_training_lines_cut_long_lines_on_character_boundaries():
    text = "short\n" + "é" * 100 + "\n\nend"
    pieces = list(training_lines([text], max_bytes=31))
    assert pieces[0] == "short" and pieces[-1] == "end"
    assert all(len(p.encode("utf-8")) <= 31 for p in pieces)
    assert "".join(pieces[1:-1]) == "é" * 100


def test_training_is_deterministic():
    options = TrainingOptions(vocab_size=400)  # two threads, as the job trains
    texts = _corpus()[:30]
    assert model_sha256(train_tokenizer(texts, options)) == model_sha256(train_tokenizer(texts, options))


def test_unigram_model_is_lossless_too():
    options = TrainingOptions(model_type="unigram", vocab_size=500, max_sentence_length=512)
    proc = load_processor(train_tokenizer(_corpus(), options))
    _, failed = round_trip_failures(proc, [(str(i), t) for i, t in enumerate(HARD_TEXTS)])
    assert failed == []


def test_encode_batch_flags_documents_a_lossy_model_would_change():
    import io

    import pyarrow as pa
    import sentencepiece as spm

    from corpusforge.config import SplitSettings
    from corpusforge.tokenizer.encode import encode_batch

    # SentencePiece's defaults (NFKC, collapsed whitespace) are lossy on code.
    sink = io.BytesIO()
    spm.SentencePieceTrainer.train(sentence_iterator=iter(_corpus()), model_writer=sink,
                                   vocab_size=300, hard_vocab_limit=False, minloglevel=2)
    lossy = spm.SentencePieceProcessor(model_proto=sink.getvalue())
    rows = [{"doc_id": "a", "content": "x  =  1;\n", "origin": "o", "category": "public",
             "source": "dir", "license": "MIT", "path": "a.ts"},
            {"doc_id": "b", "content": "x", "origin": "o", "category": "public",
             "source": "dir", "license": "MIT", "path": "b.ts"}]
    out = encode_batch(pa.RecordBatch.from_pylist(rows), lossy, SplitSettings()).to_pylist()
    assert out[0]["reason"] == "tokenizer_lossy" and out[1]["reason"] is None
    assert out[0]["split"] == out[1]["split"]  # same origin, same split
    assert out[1]["n_tokens"] == len(out[1]["tokens"]) and out[0]["n_bytes"] == 9
