"""Small Numba kernels, one module per area; each has a plain-Python reference in tests/."""
