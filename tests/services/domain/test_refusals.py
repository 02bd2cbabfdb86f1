"""Every refusal of the domain is a Refused (issue 19), so views show them one way: the
vocabulary (ContractRefused, MembershipRefused, ...) stays, the base is one."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import charter.services.domain as domain
from charter.services.domain.refusals import Refused
from workflows.states import TransitionRefused

# Refusals not named *Refused: they are refusals all the same.
OTHER_NAMES = {"TotalTooLarge", "InvalidIdentifier", "SchemeFileError"}


def _domain_classes() -> list[type]:
    found = []
    for module_info in pkgutil.walk_packages(domain.__path__, f"{domain.__name__}."):
        module = importlib.import_module(module_info.name)
        found.extend(
            cls
            for _, cls in inspect.getmembers(module, inspect.isclass)
            if cls.__module__ == module.__name__
        )
    return found


CLASSES = _domain_classes()
REFUSALS = [c for c in CLASSES if c.__name__.endswith("Refused") or c.__name__ in OTHER_NAMES]


def test_the_refusals_are_found():
    names = {c.__name__ for c in REFUSALS}
    assert {"ContractRefused", "MonitoringRefused", "MembershipRefused", "ClosingRefused"} <= names
    assert names >= OTHER_NAMES


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda c: f"{c.__module__}.{c.__name__}")
def test_every_domain_refusal_is_a_refused(refusal):
    assert issubclass(refusal, Refused)


def test_the_workflows_refusal_stays_apart():
    # workflows/ imports nothing of charter (tests/test_layers.py): it cannot subclass Refused,
    # and is the 403/409 page rather than a message on a form.
    assert not issubclass(TransitionRefused, Refused)


def test_a_refusal_names_its_field_or_none():
    assert Refused("Enter a title", "title").field == "title"
    assert Refused("No").field is None
    assert str(Refused("Enter a title", "title")) == "Enter a title"
    assert isinstance(Refused("No"), ValueError)
