"""The personal-data screen normalises before it matches: names, phones, e-mails and
coordinates in the spellings people actually type (other spaces, joiners, dashes, slashes,
full-width forms, "(at)", degrees-minutes-seconds) and coordinates hidden in the figures
reject the whole file, whose name is kept only as a digest. The invented values below are
shaped like real ones; none names a real person."""

from datetime import date

import dagster as dg
import pytest

from pipelines.definitions import build_definitions
from pipelines.defs.landing import landing_sensor
from pipelines.settings import PipelineSettings
from pipelines.sources.partner import conform_partner, read_partner_file
from pipelines.validation import screen_personal_data, validate_batch
from tests.conftest import land, row, warehouse_at, write_partner_csv
from warehouse.catalog import load_catalog
from warehouse.personal_data import file_label

SHARE = "employment.women_public_sector_share"  # percent, 0-100

SPELLINGS = {
    # Caught before normalising, and still caught.
    "Mina Khairi": "name",
    "0799 123 456": "phone",
    "mina@example.org": "email",
    "34.5253,69.1783": "coordinates",
    # Caught only after normalising.
    "Mina\u00a0Khairi": "name",  # no-break space
    "Mina\u202fKhairi": "name",  # narrow no-break space
    "Mina\u200cKhairi": "name",  # zero-width non-joiner
    "Mina\u200dKhairi": "name",  # zero-width joiner
    "\uff2d\uff49\uff4e\uff41\u3000\uff2b\uff48\uff41\uff49\uff52\uff49": "name",  # full-width
    "0799/123/456": "phone",
    "0799\u2013123\u2013456": "phone",  # en dash
    "0799\u2014123\u2014456": "phone",  # em dash
    "0799\u2212123\u2212456": "phone",  # minus sign
    "+93\u00a0799\u00a0123\u00a0456": "phone",
    "0799\u200b123\u200b456": "phone",  # zero-width space
    "mina\uff20example.org": "email",  # full-width at
    "mina(at)example.org": "email",
    "mina [at] example [dot] org": "email",
    "mina\u200b@example.org": "email",
    "34\u00b031\u2032N 69\u00b010\u2032E": "coordinates",  # degrees and primes
    "34\u00b031'N 69\u00b010'E": "coordinates",
    "34 31' 12\" N": "coordinates",
    "34\u00ba31'N": "coordinates",  # ordinal indicator typed for a degree
}
LEAKY_NAME = "Mina Khairi 0799123456.csv"


def _conformed(tmp_path, rows, name=LEAKY_NAME):
    path = write_partner_csv(tmp_path / name, [row(), *rows])
    return conform_partner(read_partner_file(path), load_catalog())


@pytest.mark.parametrize("spelling", SPELLINGS, ids=[ascii(s) for s in SPELLINGS])
def test_each_spelling_rejects_the_whole_file(tmp_path, spelling):
    rejected, report = screen_personal_data(_conformed(tmp_path, [row(geo=spelling)]))
    assert rejected is not None, spelling
    assert rejected.accepted.num_rows == 0 and rejected.quarantined.num_rows == 2
    assert f"personal_data.{SPELLINGS[spelling]}" in {r.rule for r in report.failed_rules}
    assert spelling not in rejected.error


def test_the_file_name_of_a_rejected_file_is_kept_only_as_a_digest(tmp_path):
    rejected, _ = screen_personal_data(_conformed(tmp_path, [row(geo="Mina\u00a0Khairi")]))
    assert rejected.file_name == file_label(LEAKY_NAME) and rejected.file_name.startswith("sha256:")
    for text in (rejected.error, rejected.file_name):
        assert "Mina" not in text and "0799" not in text


def test_coordinates_in_the_figures_reject_the_whole_file(tmp_path):
    # Bounds that bracket the value and lie within 0-100, so every range rule passes.
    leak = row(indicator=SHARE, value="50", lower="34.5253", upper="69.1783")
    rejected, report = screen_personal_data(_conformed(tmp_path, [leak], "share.csv"))
    assert rejected is not None and rejected.accepted.num_rows == 0
    assert "personal_data.coordinates" in {r.rule for r in report.failed_rules}
    assert "34.5253" not in rejected.error


def test_ordinary_figures_and_codes_pass(tmp_path):
    rows = [row(indicator=SHARE, value="41.5", lower="38.25", upper="44.75", period="2022-04"),
            row(indicator=SHARE, value="35.1", lower="30.12", upper="69.9", period="2022-05"),
            row(value="34", period="2022-06")]  # fmt: skip
    assert screen_personal_data(_conformed(tmp_path, rows, "clean.csv"))[0] is None


def test_bounds_must_bracket_the_value_and_stay_in_range(tmp_path):
    rows = [row(indicator=SHARE, value="50", lower="55", upper="60", period="2022-04"),
            row(indicator=SHARE, value="50", lower="40", upper="101", period="2022-05"),
            row(indicator=SHARE, value="50", lower="-1", upper="60", period="2022-06")]  # fmt: skip
    batch, report = validate_batch(_conformed(tmp_path, rows, "bounds.csv"), load_catalog(),
                                   date(2026, 1, 1))  # fmt: skip
    assert batch.accepted.num_rows == 1 and batch.quarantined.num_rows == 3
    failed = {r.rule for r in report.failed_rules}
    assert {"lower.not_above_value", "upper.in_range", "lower.in_range"} <= failed


def test_a_landing_file_name_never_reaches_dagster_or_the_warehouse(tmp_path):
    # A partner names its files after a person: one clean, one rejected for personal data
    # (whose rows, with another name, stay in quarantine for engineers, as designed).
    home = tmp_path / "wppi"
    named = "Sultana Rahimi 0700111222.csv"
    land(home, named, [row()])
    land(home, "Sultana Rahimi notes.csv", [row(geo="Mina\u00a0Khairi", period="2022-05")])
    context = dg.build_sensor_context(resources={"warehouse": warehouse_at(home)})
    requests = list(landing_sensor("partner", 30)(context))
    assert len(requests) == 2
    job = build_definitions(PipelineSettings(home=home)).resolve_job_def("partner_ingest")
    seen = []
    with dg.DagsterInstance.ephemeral() as instance:
        for request in requests:
            result = job.execute_in_process(
                run_config=request.run_config, instance=instance, tags=request.tags
            )
            assert result.success
            run = instance.get_run_by_id(result.run_id)
            seen += [repr(request), repr(run.run_config), repr(run.tags)]
            seen += [repr(e) for e in instance.all_logs(result.run_id)]
            seen.append(repr(result.output_for_node("partner_observations")))
    for path in home.rglob("*"):  # step outputs, warehouse, snapshot: all but the landing folder
        if path.is_file() and "landing" not in path.parts:
            seen.append(path.read_bytes().decode("latin-1"))
    for text in seen:
        assert "Rahimi" not in text and "0700111222" not in text
    assert (home / "landing" / "partner" / named).is_file()  # the partner's own copy
