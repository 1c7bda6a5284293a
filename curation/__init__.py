"""Curation evaluation and training: the labelled papers, their frozen train/test split, the
candidate topic classifiers compared on it, and the script that writes the shipped model.

Not part of the generator package (it needs scikit-learn, a test dependency): the generator
only reads what `curation.train` writes (generator/curate/model/). README, "Topics and
related papers", says how the test split is kept out of every choice made here.
"""
