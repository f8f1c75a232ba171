"""A data package reads only files inside its own folder, and its errors never show another file's content
(issue 19, item 3)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from yesan.errors import LoadError
from yesan.ingest.fdp import read_package

FOREIGN = Path(__file__).parent / "data" / "tabular" / "foreign_fdp"
SECRET = "비밀번호,secret-token-4711\n"


def _package(tmp_path: Path) -> Path:
    package = tmp_path / "pkg"
    shutil.copytree(FOREIGN, package)
    return package


def _outside(tmp_path: Path) -> Path:
    """A file outside the package, shaped like a CSV whose header would be quoted in an error."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    secret = elsewhere / "passwords.csv"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def test_a_data_file_that_links_out_of_the_package_is_refused_unread(tmp_path: Path) -> None:
    package = _package(tmp_path)
    (package / "spending.csv").unlink()
    (package / "spending.csv").symlink_to(_outside(tmp_path))
    with pytest.raises(LoadError) as raised:
        read_package(package)
    message = str(raised.value)
    assert "'spending.csv' leads outside the package folder" in message and "nothing was read" in message
    assert "secret-token" not in message and "비밀번호" not in message


def test_a_folder_link_out_of_the_package_is_refused_too(tmp_path: Path) -> None:
    package = _package(tmp_path)
    _outside(tmp_path)
    (package / "data").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "data/passwords.csv"
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError, match="leads outside the package folder") as raised:
        read_package(package)
    assert "secret-token" not in str(raised.value)


def test_a_schema_file_that_links_out_of_the_package_is_refused(tmp_path: Path) -> None:
    package = _package(tmp_path)
    outside = tmp_path / "schema.json"
    outside.write_text('{"fields": [{"name": "secret-token-4711"}]}', encoding="utf-8")
    (package / "schema.json").symlink_to(outside)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["schema"] = "schema.json"
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(LoadError, match=r"'schema\.json' leads outside the package folder") as raised:
        read_package(package)
    assert "secret-token" not in str(raised.value)


def test_a_link_that_stays_inside_the_package_is_read(tmp_path: Path) -> None:
    package = _package(tmp_path)
    (package / "spending.csv").rename(package / "spending-2025.csv")
    (package / "spending.csv").symlink_to(package / "spending-2025.csv")
    (batch,) = read_package(package)
    assert batch.items.num_rows > 0


def test_a_mismatched_header_is_quoted_short_and_escaped(tmp_path: Path) -> None:
    package = _package(tmp_path)
    header = "\x1b]0;owned\x07\u202e" + ",".join(f"column{n}" for n in range(60))
    (package / "spending.csv").write_text(f"{header}\n1,2\n", encoding="utf-8")
    with pytest.raises(LoadError, match="does not match the schema's fields") as raised:
        read_package(package)
    message = str(raised.value)
    assert "\x1b" not in message and "\u202e" not in message and "\x07" not in message
    assert "\\x1b" in message and "\\u202e" in message  # shown, as escapes
    assert "column59" not in message and "…" in message  # cut at 80 characters
