"""Stack outputs: read from the cdktf outputs file, refused with the field named."""

from __future__ import annotations

import json

import pytest

from ops import cli
from ops.outputs import OutputsError, load_outputs
from tests.ops.fake_databricks import outputs_document


def write(tmp_path, document) -> object:
    path = tmp_path / "outputs-dev.json"
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def test_outputs_are_read_and_normalised(tmp_path):
    document = outputs_document("adb-123.4.azuredatabricks.net")
    document["dev"]["groups"] = json.loads(document["dev"]["groups"])  # a map output, not a JSON string

    outputs = load_outputs(write(tmp_path, document), "dev")

    assert outputs.host == "https://adb-123.4.azuredatabricks.net"
    assert outputs.producer_job_id == 4242
    assert outputs.groups["producers"] == "clickstream-dev-producers"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda o: o.pop("pipeline_id"), "output pipeline_id: Field required"),
        (lambda o: o.update(catalog="Clickstream-Dev"), "output catalog: String should match pattern"),
        (lambda o: o.update(producer_job_id="not-a-number"), "output producer_job_id: Input should be a valid integer"),
        (
            lambda o: o.update(groups='{"platform-admins": "a"}'),
            "output groups: missing role(s) data-engineers, data-analysts, producers",
        ),
        (lambda o: o.update(groups="{not json"), "output groups: not a JSON object"),
        (
            lambda o: o.update(workspace_url="https://adb-1.net/some/path"),
            "output workspace_url: String should match pattern",
        ),
    ],
)
def test_a_bad_output_is_named(tmp_path, edit, message):
    document = outputs_document("https://adb-1.azuredatabricks.net")
    edit(document["dev"])

    with pytest.raises(OutputsError) as error:
        load_outputs(write(tmp_path, document), "dev")

    assert message in str(error.value)
    assert str(tmp_path / "outputs-dev.json") in str(error.value)


def test_a_missing_file_says_how_to_create_it(tmp_path):
    with pytest.raises(OutputsError, match=r"outputs file not found\. Create it with `make outputs ENV=dev`"):
        load_outputs(tmp_path / "outputs-dev.json", "dev")


def test_a_file_without_the_stack_lists_the_stacks_it_has(tmp_path):
    path = write(tmp_path, outputs_document("https://adb-1.azuredatabricks.net"))

    with pytest.raises(OutputsError, match=r"no outputs for stack 'prod' \(stacks in file: dev\)"):
        load_outputs(path, "prod")


def test_a_file_that_is_not_json_is_refused(tmp_path):
    with pytest.raises(OutputsError, match="not readable JSON"):
        load_outputs(write(tmp_path, "{"), "dev")


def test_the_cli_exits_2_on_bad_outputs(tmp_path, capsys):
    code = cli.main(["verify", "--env", "dev", "--outputs", str(tmp_path / "missing.json")])

    assert code == cli.BAD_INPUT
    assert "outputs file not found" in capsys.readouterr().err
