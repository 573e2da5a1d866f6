"""pip install --no-build-isolation ./python (Debian's python3-setuptools).
The package loads libfsnsa.so.0 at import: install the library first
(make install), or point FSNSA_LIBRARY at it (docs/python.md)."""
from setuptools import setup

setup(
    name="fsnsa",
    version="0.1.0",
    description="Compact ReLU networks that select their own features "
                "(FSA+NSA), as a scikit-learn estimator over libfsnsa",
    packages=["fsnsa"],
    python_requires=">=3.9",
    install_requires=["numpy", "scikit-learn"],
)
