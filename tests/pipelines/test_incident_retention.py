"""Incident-level files (names, places, free text) leave their landing folder once ingested
and older than the retention; anything not ingested, newer, or a symlink stays."""

import hashlib
import os
import time

from pipelines.defs.landing import prune_incident_files
from pipelines.settings import PipelineSettings
from pipelines.sources.registry import SOURCES
from warehouse.personal_data import file_label


def _landed(folder, name, text, age_days):
    path = folder / name
    path.write_text(text)
    then = time.time() - age_days * 86400
    os.utime(path, (then, then))
    return hashlib.sha256(text.encode()).hexdigest()


def test_ingested_incident_files_older_than_the_retention_are_deleted(tmp_path):
    old = _landed(tmp_path, "Incidents Mina Khairi.csv", "old incidents", 10)
    fresh = _landed(tmp_path, "fresh.csv", "fresh incidents", 1)
    _landed(tmp_path, "waiting.csv", "not ingested yet", 10)
    (tmp_path / "link.csv").symlink_to(tmp_path / "waiting.csv")
    removed = prune_incident_files(tmp_path, {old, fresh}, retention_days=7)
    assert removed == [file_label("Incidents Mina Khairi.csv")]  # reported by label only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.csv", "link.csv", "waiting.csv"]
    assert prune_incident_files(tmp_path, {fresh}, retention_days=0) == [file_label("fresh.csv")]


def test_incident_sources_and_the_setting():
    incident_level = {source.id for source in SOURCES if source.incident_level}
    assert incident_level == {"cpj", "insecurity_insight"}
    assert PipelineSettings().incident_landing_retention_days == 7
