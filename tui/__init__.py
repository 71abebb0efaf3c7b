"""Everything that faces a terminal: the CLI, the trace renderers and the Textual app."""
