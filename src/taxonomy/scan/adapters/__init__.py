"""One module per tree-sitter language family: the hooks that turn its syntax into `Value`s and receiver paths."""
