"""Read models: what the register, progress and impact pages show, computed for reading."""
