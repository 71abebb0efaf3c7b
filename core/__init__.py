"""The math of calc-tutor: activations, losses, models, sessions and derivations.

Pure Python and NumPy only. Nothing here imports textual, rich or plotext, so scripts, the
trace command and the tests can use the engine without a terminal (a test proves it).
"""
