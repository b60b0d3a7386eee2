"""The series route's flat rows are the served observation columns it names, in order."""

from datetime import date, datetime

from api.observation_tables import SERVED_COLUMNS, served_row
from api.routers.series import COLUMNS, flat_row


def test_a_flat_row_is_the_served_row_picked_by_column_name():
    for start, frequency in ((date(2022, 7, 1), "Q"), (date(2022, 7, 1), "M"),
                             (date(2022, 1, 1), "A"), (date(2022, 7, 9), "D")):  # fmt: skip
        recorded = datetime(2023, 1, 1)
        row = ("edu.x", "AF-KAB", "F", "Y15T24", start, date(2022, 9, 30), frequency, 12.5,
               None, 14.0, "A", "src.1", "survey", "verified", recorded, None)  # fmt: skip
        for demo in (False, True):
            served = dict(zip(SERVED_COLUMNS, served_row(row, demo), strict=True))
            assert flat_row(row, (demo,)) == tuple(served[name] for name in COLUMNS)
