"""`--fix` never loses a byte: atomic writes, the file that was read, no write over a file that
changed, no write through a link out of the project, and a file it cannot write is a finding."""

from __future__ import annotations

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from msgflash_lint.cli import cli

BROKEN = "Hello {{contcat.firstName}}\n"  # MFL105, fixable: contcat → contact
FIXED = "Hello {{contact.firstName}}\n"


def _fix(*paths: str, cwd: Path, monkeypatch):
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(cli, ["check", "--fix", *paths], catch_exceptions=False)


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    return tmp_path


def test_a_fix_keeps_the_files_mode_and_leaves_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    project = _project(tmp_path)
    template = project / "welcome.txt"
    template.write_text(BROKEN)
    template.chmod(0o640)
    result = _fix("welcome.txt", cwd=project, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert template.read_text() == FIXED and (template.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in project.iterdir()) == [".git", "welcome.txt"]


def test_a_file_that_cannot_be_written_is_a_finding_and_the_run_goes_on(tmp_path: Path, monkeypatch) -> None:
    """A disk that fills while one file is written: that file keeps its whole old text, the next is fixed."""
    project = _project(tmp_path)
    for name in ("a.txt", "b.txt"):
        (project / name).write_text(BROKEN * 50)
    real_fsync = os.fsync

    def full_disk_for_a(fd: int) -> None:
        if os.readlink(f"/proc/self/fd/{fd}").split("/")[-1].startswith(".a.txt."):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk_for_a)
    result = _fix("a.txt", "b.txt", cwd=project, monkeypatch=monkeypatch)
    assert result.exit_code == 1
    assert "a.txt:1:1: MFL010 --fix not written: No space left on device" in result.output
    assert (project / "a.txt").read_text() == BROKEN * 50
    assert (project / "b.txt").read_text() == FIXED * 50
    assert sorted(p.name for p in project.iterdir()) == [".git", "a.txt", "b.txt"]


def test_a_file_changed_since_it_was_read_is_not_overwritten(tmp_path: Path, monkeypatch) -> None:
    """An editor's save between the read and the write wins: the fix of the old text is not written."""
    import msgflash_lint.fixes as fixes

    project = _project(tmp_path)
    template = project / "welcome.txt"
    template.write_text(BROKEN)
    real = fixes.fix_until_stable

    def saved_meanwhile(text, lint, unsafe=False):
        template.write_text("Saved by the editor {{contcat.name}}\n")
        return real(text, lint, unsafe)

    monkeypatch.setattr(fixes, "fix_until_stable", saved_meanwhile)
    result = _fix("welcome.txt", cwd=project, monkeypatch=monkeypatch)
    assert result.exit_code == 1 and "MFL010 --fix not written: the file changed since it was read" in result.output
    assert template.read_text() == "Saved by the editor {{contcat.name}}\n"


def test_a_link_to_a_file_outside_the_project_is_not_written_through(tmp_path: Path, monkeypatch) -> None:
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(BROKEN)
    (tmp_path / "project").mkdir()
    project = _project(tmp_path / "project")
    (project / "linked.txt").symlink_to(outside)
    (project / "inside.txt").write_text(BROKEN)
    (project / "linked-inside.txt").symlink_to(project / "inside.txt")
    result = _fix("linked.txt", "linked-inside.txt", cwd=project, monkeypatch=monkeypatch)
    assert result.exit_code == 1 and "MFL010 --fix not written: linked.txt is a link to" in result.output
    assert outside.read_text() == BROKEN
    assert (project / "inside.txt").read_text() == FIXED and (project / "linked-inside.txt").is_symlink()


def test_the_file_fixed_is_the_file_read_even_when_its_name_is_escaped_for_display(tmp_path: Path,
                                                                                   monkeypatch) -> None:
    project = _project(tmp_path)
    (project / "d").mkdir()
    tabbed = project / "d" / "t\tx.txt"
    tabbed.write_text(BROKEN)
    lookalike = project / "d" / "t\\tx.txt"  # named as the report shows the other one
    lookalike.write_text("Untouched {{contcat.name}}\n")
    result = _fix("d/t\tx.txt", cwd=project, monkeypatch=monkeypatch)
    assert result.exit_code == 0, result.output
    assert tabbed.read_text() == FIXED
    assert lookalike.read_text() == "Untouched {{contcat.name}}\n"


@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL of a real process, checked on Linux")
def test_killing_a_fix_run_leaves_every_file_whole(tmp_path: Path) -> None:
    """SIGKILL at random moments of a --fix over many large files (a run of about two seconds here,
    half of it writing): each file is its old text or its new one, never empty or cut."""
    installed = Path(sys.executable).with_name("msgflash-lint")
    command = [str(installed)] if installed.exists() else [sys.executable, "-c", "from msgflash_lint.cli import main; main()"]
    project = _project(tmp_path)
    names = [f"t{n:03d}.txt" for n in range(200)]
    filler = "Plain words, no placeholder here.\n" * 6000  # ~200 KB: writing, not linting, takes the time
    rng = random.Random(7)
    for attempt in range(4):
        for name in names:
            (project / name).write_text(BROKEN + filler)
        process = subprocess.Popen([*command, "check", "--fix", "--jobs", "1", *names], cwd=project,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.3 + rng.random() * 2.0)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        for name in names:
            assert (project / name).read_text() in (BROKEN + filler, FIXED + filler), (attempt, name)


def test_reports_and_baselines_are_written_atomically(tmp_path: Path, monkeypatch) -> None:
    """A failure while writing leaves the old report whole (the write goes to a new file, renamed over it)."""
    import msgflash_lint.workflow as workflow

    (tmp_path / "t.txt").write_text("{{custom}}")
    report = tmp_path / "report.json"
    report.write_text("the old report")
    real = os.replace

    def full_disk(source, target):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(workflow.os, "replace", full_disk)
    result = CliRunner().invoke(cli, ["check", "--format", "json", "-o", str(report), str(tmp_path / "t.txt")])
    assert result.exit_code == 2 and "cannot write" in result.output and "No space left" in result.output
    assert report.read_text() == "the old report"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind
    monkeypatch.setattr(workflow.os, "replace", real)
    baseline = tmp_path / "baseline.json"
    assert CliRunner().invoke(cli, ["check", "--write-baseline", str(baseline), str(tmp_path / "t.txt")]).exit_code == 0
    assert json.loads(baseline.read_text())


def test_a_report_to_dev_stdout_is_written_through(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "t.txt").write_text("{{custom}}")
    run = subprocess.run([sys.executable, "-c", "from msgflash_lint.cli import main; main()", "check", "--format",
                          "json", "-o", "/dev/stdout", str(tmp_path / "t.txt")], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 1 and json.loads(run.stdout)["summary"]["errors"] == 1


def test_ignore_mfl010_is_honoured(tmp_path: Path, monkeypatch) -> None:
    project = _project(tmp_path)
    template = project / "welcome.txt"
    template.write_text(BROKEN)
    import msgflash_lint.workflow as workflow

    monkeypatch.setattr(workflow, "_write_atomically", lambda change: "not written: Read-only file system")
    shown = _fix("welcome.txt", cwd=project, monkeypatch=monkeypatch)
    assert "MFL010" in shown.output
    hidden = _fix("welcome.txt", "--ignore", "MFL010", cwd=project, monkeypatch=monkeypatch)
    assert "MFL010" not in hidden.output
