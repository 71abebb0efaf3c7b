"""Serve the tutor to a class: ``calc-tutor serve ssh`` gives every SSH session a tutor of its own."""
