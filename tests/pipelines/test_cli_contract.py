"""`wppi`'s command and flag names are a public contract: commands may be added, never
renamed or dropped (pipelines/cli/ registers one module per command)."""

import argparse

from pipelines.cli import build_parser

CONTRACT = {
    ("run",): {"--sample", "--input", "--json"},
    ("ingest",): {"files", "--source", "--json"},
    ("sources", "list"): {"--json"},
    ("sources", "check"): {"files", "--source", "--json"},
    ("serve",): {"--host", "--port", "--keep-alive"},
    ("extract",): {"--snapshot", "--out", "--verify"},
    ("keys", "create"): {"--name", "--tier"},
    ("keys", "revoke"): {"key_id"},
    ("keys", "list"): {"--json"},
}


def commands(parser: argparse.ArgumentParser, path: tuple = ()) -> dict[tuple, set[str]]:
    """Every leaf command's path and the names of its arguments."""
    found: dict[tuple, set[str]] = {}
    names = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= commands(sub, (*path, name))
        elif not isinstance(action, argparse._HelpAction):
            names.update(action.option_strings or [action.dest])
    if not found:
        found[path] = names
    return found


def test_every_command_and_flag_of_the_contract_is_there():
    found = commands(build_parser())
    for path, flags in CONTRACT.items():
        assert path in found, f"wppi {' '.join(path)} is missing"
        assert flags <= found[path], f"wppi {' '.join(path)}: {flags - found[path]} missing"


def test_the_flags_parse_as_before():
    args = build_parser().parse_args(["ingest", "a.csv", "b.csv", "--source", "partner"])
    assert (args.files, args.source, args.json) == (["a.csv", "b.csv"], "partner", False)
    args = build_parser().parse_args(["serve", "--keep-alive", "5"])
    assert (args.host, args.port, args.keep_alive) == ("127.0.0.1", 8000, 5)
    args = build_parser().parse_args(["keys", "create", "--name", "n", "--tier", "public"])
    assert (args.action, args.tier) == ("create", ["public"])
