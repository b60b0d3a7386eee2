"""Rules run on distinct value combinations name exactly the rows a run on every row names."""

import pandas as pd

from expectations.distinct import validate_distinct
from expectations.gx_batch import ROW_ID, validate_frame
from expectations.observation_rules import Rule

RULES = [
    Rule("code.known", "code", "unknown code", "ExpectColumnValuesToBeInSet",
         {"column": "code", "value_set": ["a", "b"]}),
    Rule("value.small", "value", "too large", "ExpectColumnValuesToBeBetween",
         {"column": "value", "max_value": 10}),
    Rule("value.present", "value", "missing", "ExpectColumnValuesToNotBeNull",
         {"column": "value"}, "status != 'M'"),
    Rule("value.zero", "value", "not zero", "ExpectColumnValuesToBeBetween",
         {"column": "value", "min_value": 0, "max_value": 0}, "status == 'Z'"),
    Rule("label.shape", "label", "not a label", "ExpectColumnValuesToMatchRegex",
         {"column": "label", "regex": r"^[a-z]+$"}),
]  # fmt: skip


def test_distinct_validation_names_the_same_rows_and_reasons_as_every_row():
    # Columns of different lengths of repetition, so the ragged frame cycles groups.
    rows = 360
    frame = pd.DataFrame({
        "code": pd.Categorical(["a", "b", "a", "c", "b", "a"] * (rows // 6)),
        "value": [1.0, 5.0, 1.0, None, 12.0, 0.0, 3.0, None, 2.0] * (rows // 9),
        "status": ["A", "A", "M", "A", "Z"] * (rows // 5),
        "label": ["ok", "no way", "fine", "x1"] * (rows // 4),
    })  # fmt: skip
    frame[ROW_ID] = range(rows)
    every_row = validate_frame(frame, RULES, "every-row")
    distinct = validate_distinct(frame, RULES, "distinct")
    assert every_row.reasons  # every rule but none fails somewhere
    assert distinct.reasons == every_row.reasons
    assert [(r.rule, r.success, r.failed_rows) for r in distinct.results] == [
        (r.rule, r.success, r.failed_rows) for r in every_row.results
    ]
    assert {r.rule for r in distinct.failed_rules} == {r.name for r in RULES}
