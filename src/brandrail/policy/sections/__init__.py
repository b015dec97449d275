"""Policy section models, one module per section."""
