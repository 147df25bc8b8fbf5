"""A bulk step pauses the cyclic collector and always gives it back (a server process runs on)."""

import gc

import pytest
from django.core.exceptions import ValidationError

from hoptac.core.bulk import collector_paused
from hoptac.imports import importer
from hoptac.imports.reading import Sheet


def test_nested_steps_give_the_collector_back_when_the_last_ends_even_after_an_error():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with pytest.raises(RuntimeError), collector_paused():
            raise RuntimeError
        assert not gc.isenabled()  # the outer step is still running
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.django_db
def test_a_refused_file_leaves_the_collector_on():
    with pytest.raises(ValidationError):
        importer.prepare("organisations", Sheet([["Không có tiêu đề nào"], ["1", "2"]]), "x.xlsx")
    assert gc.isenabled()
