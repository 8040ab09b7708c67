"""Encoding: scikit-learn's encoders fitted on each distinct row once give what every row would."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction import DictVectorizer
from sklearn.preprocessing import MultiLabelBinarizer

from matching.encoding import _fit_transform_distinct

LABELS = ["ar", "de", "en", "fa", "paperwork", "mentoring", "uk"]
# Few distinct rows among many: the repeats are what the encoding skips.
label_lists = st.lists(st.lists(st.sampled_from(LABELS), max_size=4, unique=True), min_size=1, max_size=5).flatmap(
    lambda pool: st.lists(st.sampled_from(pool), min_size=1, max_size=40)
)


@given(rows=label_lists)
def test_labels_of_distinct_rows_repeated_are_the_labels_of_every_row(rows: list[list[str]]) -> None:
    every = MultiLabelBinarizer()
    distinct = MultiLabelBinarizer()
    expected = every.fit_transform(rows)
    got = _fit_transform_distinct(distinct, map(tuple, rows), list)
    assert list(distinct.classes_) == list(every.classes_)
    np.testing.assert_array_equal(got, expected)


@given(rows=label_lists, level=st.integers(1, 7))
def test_levels_of_distinct_maps_repeated_are_the_levels_of_every_map(rows: list[list[str]], level: int) -> None:
    maps = [{code: level + k for k, code in enumerate(row)} for row in rows]
    every = DictVectorizer(sparse=False, dtype=np.uint8)
    distinct = DictVectorizer(sparse=False, dtype=np.uint8)
    expected = every.fit_transform(maps)
    got = _fit_transform_distinct(distinct, (tuple(m.items()) for m in maps), dict)
    assert distinct.feature_names_ == every.feature_names_
    np.testing.assert_array_equal(got, expected)
