"""Build connections are bounded: DuckDB's default would take 80% of the machine's RAM."""

from warehouse.connect import BuildLimits, open_build


def test_build_connections_have_a_memory_limit_threads_and_a_spill_folder(tmp_path):
    con = open_build(tmp_path / "w" / "build.duckdb", limits=BuildLimits("300MB", 1))
    try:
        memory, threads, temp = con.execute(
            "select current_setting('memory_limit'), current_setting('threads'),"
            " current_setting('temp_directory')"
        ).fetchone()
    finally:
        con.close()
    assert (memory, threads) == ("286.1 MiB", 1)  # DuckDB shows 300 MB in MiB
    assert temp == str(tmp_path / "w" / "duckdb_tmp")


def test_the_default_limit_is_one_gigabyte(tmp_path):
    con = open_build(tmp_path / "build.duckdb")
    try:
        limit = con.execute("select current_setting('memory_limit')").fetchone()[0]
    finally:
        con.close()
    assert limit == "953.6 MiB"  # 1 GB
