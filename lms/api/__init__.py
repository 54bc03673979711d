"""The JSON API, for tools and scripts, authenticated with bearer tokens."""
