"""A process killed (SIGKILL) in the middle of an import: the next start rolls the import back, so the
account is fully old, and the change log holds nothing of it."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

from service.graph.database import Database
from service.rules.access import Principal, Role
from service.runtime import open_database
from service.settings import Settings
from service.usecases.services import Services
from tests.import_factory import account_document, changed_document
from tests.test_batched_import import change_log, dump, leftovers, run

IMPORT_IN_SMALL_BATCHES = """
import os, signal, sys
import service.rules.imports as rules
import service.usecases.imports as imports
rules.pack.__defaults__ = (30,)
told = imports._tell
def tell(services, progress):
    told(services, progress)
    if progress.phase == "writing" and progress.done == 2:  # two batches committed: die mid-import
        os.kill(os.getpid(), signal.SIGKILL)
imports._tell = tell
from service.entrypoints.cli import main
sys.exit(main(["import", sys.argv[1]]))
"""
"""The import command in batches of 30 rows, killed (SIGKILL, by itself: no race with a poller) right
after its second batch committed."""


async def test_killed_mid_import_the_next_start_leaves_the_account_fully_old(
    db: Database, cli_settings: Settings, workspace: str, tmp_path: Path
) -> None:
    settings = cli_settings  # the command acts as an integration key of the test's workspace
    assert settings.api_key is not None
    document = account_document(60)
    await run(Services(db), Principal(workspace_id=workspace, role=Role.ADMIN, id="tester"), document)
    before, log_before = await dump(db, workspace), await change_log(db, workspace)
    path = tmp_path / "replace.json"
    path.write_text(json.dumps(changed_document(document)), encoding="utf-8")
    env = {
        **os.environ,
        "POWERMAP_NEO4J_URI": settings.neo4j_uri or "",
        "POWERMAP_NEO4J_USER": settings.neo4j_user,
        "POWERMAP_NEO4J_PASSWORD": settings.neo4j_password.get_secret_value(),
        "POWERMAP_WORKSPACE_ID": workspace,
        "POWERMAP_API_KEY": settings.api_key.get_secret_value(),
        "POWERMAP_LOAD_DEMO": "false",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        IMPORT_IN_SMALL_BATCHES,
        str(path),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert await asyncio.wait_for(process.wait(), 120) == -signal.SIGKILL
    finally:
        if process.returncode is None:
            process.kill()
    assert (await leftovers(db, workspace))[0] == 1
    assert await dump(db, workspace) != before

    async with open_database(settings):
        pass

    assert await dump(db, workspace) == before
    assert await change_log(db, workspace) == log_before
    assert await leftovers(db, workspace) == (0, 0, 0)
