"""Serve the tutor to a class: ``calc-tutor serve ssh`` gives every SSH session a tutor of its own,
``calc-tutor serve web`` every browser tab."""
