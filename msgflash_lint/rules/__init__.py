"""Rules: pure functions from parsed documents to findings named after registry rules."""
