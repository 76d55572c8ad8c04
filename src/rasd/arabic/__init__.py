"""The Arabic text layer: normalisation with offset maps, sentences, tokens and clitics."""
