"""policies/README.md documents exactly the policies that exist."""

from __future__ import annotations

from pathlib import Path

from policies import catalogue

README = Path(catalogue.__file__).with_name("README.md")


def test_readme_catalogue_matches_the_checks(policy_ids):
    text = README.read_text(encoding="utf-8")
    embedded = text.split(catalogue.START, 1)[1].split(catalogue.END, 1)[0].strip()
    assert embedded == catalogue.markdown(), "regenerate it: python -m policies.catalogue"
