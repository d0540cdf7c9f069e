"""Translation: a Locale turns the engine's message keys, codes and amounts into words, numbers
and dates in Chinese or English (locales/*.toml); check lists missing translations."""
