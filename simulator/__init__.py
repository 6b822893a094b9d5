"""The Tabletop simulation engine."""
