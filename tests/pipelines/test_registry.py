"""Every declared source gets its assets, job, sensor, freshness check and detection from its
declaration alone: nothing else registers a source."""

from __future__ import annotations

import dagster as dg

from pipelines.definitions import build_definitions
from pipelines.settings import PipelineSettings
from pipelines.sources.detect import detect_source, recognise, unrecognised_message
from pipelines.sources.registry import BY_ID, SOURCES
from warehouse.catalog import load_catalog

STEPS = ("raw_{}", "conformed_{}", "validated_{}", "{}_observations")


def test_every_declared_source_has_its_assets_job_and_sensor():
    defs = build_definitions(PipelineSettings())
    graph = defs.get_repository_def().asset_graph
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    publish_deps = {
        key.to_user_string() for key in graph.get(dg.AssetKey("published_snapshot")).parent_keys
    }
    for source in SOURCES:
        assert {step.format(source.id) for step in STEPS} <= keys, source.id
        assert f"{source.id}_observations" in publish_deps, source.id
        job = defs.resolve_job_def(f"{source.id}_ingest")
        selected = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
        assert f"raw_{source.id}" in selected and "published_snapshot" in selected
        sensor = defs.resolve_sensor_def(f"{source.id}_landing_sensor")
        assert sensor.job_name == f"{source.id}_ingest"
        assert (f"live_{source.id}" in keys) == (source.live is not None)


def test_every_source_with_a_catalog_source_has_a_freshness_check():
    sources = load_catalog().sources
    defs = build_definitions(PipelineSettings())
    checked = {
        key.asset_key.to_user_string()
        for key in defs.get_repository_def().asset_graph.asset_check_keys
        if key.name == "source_fresh"
    }
    for source in SOURCES:
        if source.source_id:
            assert source.source_id in sources, source.id  # declared in the catalog
        due = source.source_id and sources[source.source_id].update_every
        assert (f"{source.id}_observations" in checked) == bool(due), source.id


def test_every_source_is_detected_by_its_folders_and_signatures(tmp_path):
    for source in SOURCES:
        for folder in (source.id, *source.folders):
            path = tmp_path / folder / "anything.csv"
            path.parent.mkdir()
            path.write_text("a,b\n1,2\n")
            assert detect_source(path) == source.id
        for number, signature in enumerate(source.signatures):
            path = tmp_path / f"{source.id}-{number}.csv"
            path.write_text(f"{signature}\n")
            assert recognise(path) == source.id, signature
            assert detect_source(path) == source.id, signature
        assert f"{source.id}: {source.description}" in unrecognised_message(path)


def test_the_partner_template_is_one_entry_like_the_others(tmp_path):
    partner = BY_ID["partner"]
    assert partner.default_intake and not partner.signatures
    # A damaged template is still the partner's; a binary file goes to the default intake.
    (tmp_path / "damaged.csv").write_text("indicator_code;geo_code;valeur\n")
    (tmp_path / "binary.bin").write_bytes(b"\x00\x01\x02")
    assert recognise(tmp_path / "damaged.csv") == "partner"
    assert recognise(tmp_path / "binary.bin") == "partner"
    assert sum(source.default_intake for source in SOURCES) == 1


def test_a_new_declaration_is_all_a_source_needs(tmp_path):
    """What porting a source (e.g. a policy tracker) onto the registry takes: a declaration;
    the Dagster pieces are built from it alone, and it reads through the shared intake."""
    from pipelines.defs.landing import landing_sensor
    from pipelines.defs.landing_sources import raw_asset
    from pipelines.defs.source_steps import source_steps
    from pipelines.reading import ReadLimits
    from pipelines.sources.declaration import SourceDeclaration
    from pipelines.sources.intake import read_landed_file
    from pipelines.sources.long_records import LongRecords

    def read(path):
        out = LongRecords("example", path, path.read_bytes())
        out.add(2, "{}", source_id="worldbank.wdi", indicator="SG.GEN.PARL.ZS", place="AFG",
                period="2020", value="27.0")  # fmt: skip
        return out.batch()

    example = SourceDeclaration("example", "Example CSV", read=read, signatures=("example,",))
    assets = [raw_asset(example), *source_steps(example)]
    assert {key.to_user_string() for a in assets for key in a.keys} == {
        step.format("example") for step in STEPS
    }
    assert landing_sensor(example.id, 30).job_name == "example_ingest"
    (tmp_path / "a.csv").write_text("example,\n")
    batch = read_landed_file(example, tmp_path, "a.csv", None, ReadLimits())
    # The default mapping goes through the catalog's aliases; "example" has none yet.
    conformed = example.conform(batch, load_catalog())
    assert conformed.table.num_rows == 0 and conformed.raw.malformed.num_rows == 1
