"""The inbox: watching it, deciding when a file is ready, claiming it, the pass over it and its journal."""
