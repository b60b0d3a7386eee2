"""`wppi keys create|revoke|list`: API keys (warehouse/access.py; the API reads the same
file)."""

from __future__ import annotations

import argparse
import sys

from pipelines.cli.homes import prepare
from pipelines.cli.report import err, json_lines, print_table
from pipelines.settings import PipelineSettings


def register(commands: argparse._SubParsersAction) -> None:
    keys = commands.add_parser("keys", help="create, revoke or list API keys")
    key_actions = keys.add_subparsers(dest="action", required=True)
    create = key_actions.add_parser("create", help="create a key; its token is printed once")
    create.add_argument("--name", required=True, help="who or what the key is for")
    create.add_argument(
        "--tier",
        action="append",
        required=True,
        choices=["public", "restricted"],
        help="a tier the key may read (repeat for several)",
    )
    revoke = key_actions.add_parser("revoke", help="revoke a key at once")
    revoke.add_argument("key_id")
    listing = key_actions.add_parser("list", help="list keys (ids, names, tiers; never tokens)")
    listing.add_argument("--json", action="store_true", help="one JSON line per key")
    keys.set_defaults(func=cmd_keys)


def cmd_keys(args: argparse.Namespace, settings: PipelineSettings) -> int:
    """Create, revoke or list API keys (warehouse/access.py; the API reads the same file)."""
    from warehouse import access

    path = prepare(settings).access
    if args.action == "create":
        try:
            key, token = access.create_key(path, args.name, args.tier)
        except ValueError as exc:
            raise SystemExit(f"wppi keys create: {exc}") from None
        err.print(f"key {key.key_id} ({', '.join(key.tiers)}) created; the token is shown once:")
        sys.stdout.write(token + "\n")
        return 0
    if args.action == "revoke":
        if not access.revoke_key(path, args.key_id):
            raise SystemExit(f"wppi keys revoke: no active key has the id '{args.key_id}'")
        err.print(f"key {args.key_id} revoked")
        return 0
    keys = access.list_keys(path)
    if args.json:
        json_lines([key.__dict__ for key in keys])
        return 0
    print_table(
        ("key_id", "name", "tiers", "created_at", "revoked_at"),
        [(k.key_id, k.name, ",".join(k.tiers), k.created_at, k.revoked_at or "") for k in keys],
    )
    return 0
