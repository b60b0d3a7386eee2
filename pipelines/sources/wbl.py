"""World Bank Women, Business and the Law panel (snake_case columns) -> WBL scores.

The yes/no answers behind each score (True/False columns) and day counts are not
published by WPPI; they are listed in NOT_MAPPED so a new column still quarantines.
"""

from __future__ import annotations

from pathlib import Path

from pipelines.batches import ConformedBatch, RawBatch
from pipelines.sources.declaration import SourceDeclaration
from pipelines.sources.long_records import LongRecords, conform_long, read_table, wide_records
from warehouse.catalog import Catalog

ADAPTER = "wbl"
SOURCE_ID = "worldbank.wbl"
NOT_MAPPED = ("pay", "marriage", "parenthood", "assets", "pension", "woman_choose_residence",
              "woman_travel_outside_home", "woman_apply_passport", "woman_travel_abroad",
              "woman_get_job", "law_prohibits_gender_discrimination", "law_sexual_harassment",
              "penalties_sexual_harassment", "law_equal_pay", "woman_work_night",
              "woman_work_dangerous", "woman_work_industrial", "no_obey_husband_law",
              "woman_head_household", "law_domestic_violence", "woman_divorce_rights",
              "woman_remarry_rights", "paid_maternity_leave_14weeks",
              "paid_maternity_leave_length", "govt_pays_maternity_leave", "paid_paternity_leave",
              "paid_paternity_leave_length", "paid_parental_leave", "parental_leave_shared_days",
              "parental_leave_mother_days", "parental_leave_father_days",
              "protect_pregnant_workers", "law_credit_gender_discrimination",
              "woman_sign_contract", "woman_register_business", "woman_open_bank_account",
              "equal_property_rights", "equal_inheritance_children",
              "equal_inheritance_spouses", "equal_asset_admin_marriage",
              "value_nonmonetary_contributions", "equal_pension_age_full",
              "equal_pension_age_partial", "equal_retirement_age",
              "pension_credit_childcare")  # fmt: skip


def read_wbl_file(path: Path) -> RawBatch:
    data, _, lines = read_table(path)
    out = LongRecords(ADAPTER, path, data)
    wide_records(out, lines, source_id=SOURCE_ID, place="ISO Code", period="year",
                 skip=("country", *NOT_MAPPED))  # fmt: skip
    return out.batch()


def conform_wbl(batch: RawBatch, catalog: Catalog) -> ConformedBatch:
    return conform_long(batch, catalog, catalog.publisher_codes(ADAPTER))


SOURCE = SourceDeclaration(
    id=ADAPTER,
    description="Women, Business and the Law CSV (... wbl_index ...)",
    read=read_wbl_file,
    conform=conform_wbl,
    source_id=SOURCE_ID,
    folders=("wbl_women_business_law",),
    signatures=("wbl_index",),
)
