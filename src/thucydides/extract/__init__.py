"""The analysis stages: attributions, actors, events. Each reads a parsed Doc and the record."""
