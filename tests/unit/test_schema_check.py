"""`onething schemas check` names the schema and the field that break compatibility."""

import json
import shutil

from streams.contracts import schemas_dir
from streams.schema_check import check_schemas

LICENCE = "market_regulation/business_license_issued.v1"


def copy_schemas(tmp_path):
    root = tmp_path / "schemas"
    shutil.copytree(schemas_dir(), root)
    return root


def add_revision(root, change):
    folder = root / LICENCE
    schema = json.loads((folder / "1.avsc").read_text())
    change(schema["fields"][1]["type"]["fields"])
    (folder / "2.avsc").write_text(json.dumps(schema, ensure_ascii=False))


def test_the_shipped_schemas_pass():
    assert check_schemas() == []


def test_a_new_required_field_is_named_with_its_file(tmp_path):
    root = copy_schemas(tmp_path)
    add_revision(root, lambda fields: fields.append({"name": "registered_capital", "type": "long"}))
    [problem] = check_schemas(root)
    assert f"{LICENCE}/2.avsc" in problem
    assert "registered_capital" in problem and "BACKWARD" in problem


def test_a_field_with_a_default_is_a_compatible_revision(tmp_path):
    root = copy_schemas(tmp_path)
    add_revision(
        root, lambda fields: fields.append({"name": "registered_capital", "type": "long", "default": 0})
    )
    assert check_schemas(root) == []


def test_a_changed_type_is_refused(tmp_path):
    root = copy_schemas(tmp_path)

    def retype(fields):
        next(f for f in fields if f["name"] == "staff_count")["type"] = "string"

    add_revision(root, retype)
    [problem] = check_schemas(root)
    assert "staff_count" in problem
