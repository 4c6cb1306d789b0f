"""One module per intent, each with its own router: what a resident's message of that intent does."""
