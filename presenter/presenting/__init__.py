"""presenting package."""
