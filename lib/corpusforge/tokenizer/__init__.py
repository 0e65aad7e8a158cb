"""SentencePiece tokenizer: lossless training on the corpus, and encoding in executors."""
