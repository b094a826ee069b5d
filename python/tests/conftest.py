import json
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "tests" / "data"


def load(name):
    with open(DATA / name) as f:
        return json.load(f)


@pytest.fixture(scope="session")
def nt_kernels():
    return load("nt_kernels.json")


@pytest.fixture(scope="session")
def nt_regression():
    return load("nt_regression.json")
