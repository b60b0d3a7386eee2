-- The row ranges publish recorded for each (view, indicator, place) block.
select view, indicator_code, geo_code, first_row, last_row
from series_rows
