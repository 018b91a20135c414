"""Entry point of the infra's Databricks job (spark_python_task):

    databricks_job.py --sink volume --volume-path /Volumes/<catalog>/bronze/landing --events N --seed S

The code is uploaded as workspace files with the repo's tree kept, so the parent of
producer/ is the code root: put it on sys.path (for `producer` and `contract`) and run
the CLI. A non-zero exit code fails the task, which keeps the pipeline refresh from running.
"""

import sys
from pathlib import Path

_script = globals().get("__file__") or sys.argv[0]
CODE_ROOT = str(Path(_script).resolve().parents[1])
if CODE_ROOT not in sys.path:
    sys.path.insert(0, CODE_ROOT)

from producer.cli import main  # noqa: E402

if __name__ == "__main__":
    code = main(sys.argv[1:])
    if code:
        sys.exit(code)
