"""Rasd's own statistical named-entity recogniser.

Trained by ``rasd train ner`` from the corpora in ``../shared/data/ner`` (torch and fastText are
needed only there); tagging at run time needs only NumPy and the shipped model file.
"""
