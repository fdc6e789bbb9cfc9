"""seamline's learned sentence-boundary detector: candidates, features, model and training.

The hashed features and the classifier run in `seamline.kernels.sentences`;
`model.py` loads the shipped weights and runs them, `train.py` rebuilds them
from the shared training and DEV data (`python -m seamline.sbd.train`).
"""
