"""A small Databricks workspace on loopback, speaking the REST endpoints ops calls.

Contract tests only: the paths and payload shapes are the ones of the Databricks REST
API reference that databricks-sdk 0.162.0 sends and parses; the behaviour behind them
is driven by a ``Workspace`` state that each test edits (a grant removed, an update
that fails, a run that never ends, a 503 before the answer). It proves ops reads the
API correctly; only `make verify` against a deployed environment proves the platform.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from databricks.sdk.credentials_provider import CredentialsStrategy

from contract import masks, rbac
from pipelines.clickstream import gold
from pipelines.clickstream.names import GOLD_TABLES

ENV = "dev"
CATALOG = "clickstream_dev"
GROUPS = {role: f"clickstream-dev-{role}" for role in rbac.ROLES}
LANDING_URL = "abfss://landing@stclkdev.dfs.core.windows.net/"
CATALOG_URL = "abfss://catalog@stclkdev.dfs.core.windows.net/"
LANDING_LOCATION_NAME = "clickstream-dev-landing"
PIPELINE_ID = "0f1e2d3c-pipe-line-0000-000000000001"
JOB_ID = 4242
WAREHOUSE_ID = "wh0123456789"
T0_MS = 1_795_000_000_000
TEST_TOKEN = "loopback-test-token"  # TEST ONLY, never a real credential  # the fake clock: every update starts here


class LoopbackToken(CredentialsStrategy):
    """TEST ONLY: a bearer token for the loopback fake. Product code refuses tokens."""

    def __init__(self, token: str):
        self._token = token

    def auth_type(self) -> str:
        return "test-loopback"

    def __call__(self, cfg):
        return lambda: {"Authorization": f"Bearer {self._token}"}


def iso(ms: int) -> str:
    seconds, millis = divmod(ms, 1000)
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S") + f".{millis:03d}Z"


def flow_event(
    flow: str,
    status: str,
    *,
    at_ms: int,
    rows: int = 0,
    expectations: list[tuple[str, int, int]] = (),
    dropped: int = 0,
    error: str | None = None,
) -> dict[str, Any]:
    """A flow_progress event; expectations are (rule, passed_records, failed_records)."""
    progress: dict[str, Any] = {"status": status, "metrics": {"num_output_rows": rows}}
    if expectations or dropped:
        progress["data_quality"] = {
            "dropped_records": dropped,
            "expectations": [
                {"name": rule, "dataset": flow, "passed_records": passed, "failed_records": failed}
                for rule, passed, failed in expectations
            ],
        }
    event: dict[str, Any] = {
        "id": f"ev-{flow}-{status}-{at_ms}",
        "timestamp": iso(at_ms),
        "event_type": "flow_progress",
        "level": "ERROR" if error else "INFO",
        "message": f"Flow '{flow}' has {status.lower()}." if not error else f"Flow '{flow}' has FAILED.",
        "origin": {"pipeline_id": PIPELINE_ID, "flow_name": flow, "dataset_name": flow},
        "details": {"flow_progress": progress},
    }
    if error:
        event["error"] = {
            "fatal": True,
            "exceptions": [{"class_name": "org.apache.spark.SparkException", "message": error}],
        }
    return event


def healthy_flow_events() -> list[dict[str, Any]]:
    """One update's flows, oldest first: bronze with a drop rule, silver, the gold tables."""
    events = [
        flow_event("clickstream_dev.bronze.events_raw", "RUNNING", at_ms=T0_MS + 1000),
        flow_event(
            "clickstream_dev.silver.events",
            "COMPLETED",
            at_ms=T0_MS + 3000,
            rows=990,
            expectations=[("valid_event_type", 995, 5), ("has_session", 1000, 0)],
            dropped=10,
        ),
        flow_event("clickstream_dev.bronze.events_raw", "COMPLETED", at_ms=T0_MS + 2000, rows=1000),
    ]
    events += [
        flow_event(f"clickstream_dev.{table}", "COMPLETED", at_ms=T0_MS + 4000 + i, rows=10)
        for i, table in enumerate(GOLD_TABLES)
    ]
    return events


def matrix_grants() -> dict[tuple[str, str], dict[str, set[str]]]:
    """UC direct grants as infra deploys them from the matrix."""
    names = {rbac.LANDING_LOCATION: LANDING_LOCATION_NAME}
    grants: dict[tuple[str, str], dict[str, set[str]]] = {}
    for grant in rbac.GRANTS:
        key = (grant.securable.type, grant.securable.full_name(CATALOG, names))
        grants.setdefault(key, {}).setdefault(GROUPS[grant.role], set()).update(grant.privileges)
    return grants


@dataclass
class Fault:
    method: str
    path: str  # regex, matched in full against the URL path
    status: int
    error_code: str
    message: str = "injected by the test"
    times: int = 1
    headers: dict[str, str] = field(default_factory=dict)


def masked_tables(catalog: str) -> dict[str, dict]:
    tables = {}
    for table, columns in gold.SCHEMAS.items():
        sensitive = masks.column_masks([name for name, _ in columns])
        tables[f"{catalog}.{table}"] = {
            "full_name": f"{catalog}.{table}",
            "columns": [
                {
                    "name": name,
                    "type_text": type_,
                    **(
                        {"mask": {"function_name": masks.function_name(catalog, sensitive[name])}}
                        if name in sensitive
                        else {}
                    ),
                }
                for name, type_ in columns
            ],
        }
    return tables


@dataclass
class Workspace:
    """Everything the fake knows; tests edit it before (or while) ops runs."""

    token: str = TEST_TOKEN  # what the fake accepts
    me: dict[str, Any] = field(
        default_factory=lambda: {
            "id": "1001",
            "userName": "alice@example.com",
            "displayName": "Alice",
            "groups": [{"display": GROUPS[rbac.PLATFORM_ADMINS], "value": "g1"}, {"display": "users", "value": "g0"}],
        }
    )
    catalogs: dict[str, dict] = field(default_factory=lambda: {CATALOG: {"name": CATALOG, "storage_root": CATALOG_URL}})
    schemas: dict[str, dict] = field(
        default_factory=lambda: {
            f"{CATALOG}.{s}": {"full_name": f"{CATALOG}.{s}", "name": s, "catalog_name": CATALOG} for s in rbac.SCHEMAS
        }
    )
    volumes: dict[str, dict] = field(
        default_factory=lambda: {
            f"{CATALOG}.bronze.landing": {
                "full_name": f"{CATALOG}.bronze.landing",
                "volume_type": "EXTERNAL",
                "storage_location": LANDING_URL,
            }
        }
    )
    # Gold tables with sensitive columns, masked as the contract says.
    tables: dict[str, dict] = field(default_factory=lambda: masked_tables(CATALOG))
    external_locations: list[dict] = field(
        default_factory=lambda: [
            {"name": LANDING_LOCATION_NAME, "url": LANDING_URL},
            {"name": "clickstream-dev-catalog", "url": CATALOG_URL},
        ]
    )
    grants: dict[tuple[str, str], dict[str, set[str]]] = field(default_factory=matrix_grants)
    metastore_grants: dict[str, set[str]] = field(default_factory=dict)
    # Each runs/get returns the next state (the last one repeats).
    run_states: list[dict] = field(
        default_factory=lambda: [
            {"life_cycle_state": "PENDING"},
            {"life_cycle_state": "RUNNING"},
            {"life_cycle_state": "TERMINATED", "result_state": "SUCCESS", "state_message": ""},
        ]
    )
    run_tasks: list[dict] = field(
        default_factory=lambda: [
            {"task_key": "produce", "state": {"life_cycle_state": "TERMINATED", "result_state": "SUCCESS"}},
            {"task_key": "refresh_pipeline", "state": {"life_cycle_state": "TERMINATED", "result_state": "SUCCESS"}},
        ]
    )
    job_settings: dict[str, Any] = field(
        default_factory=lambda: {
            "name": "clickstream-dev-producer",
            "schedule": {"quartz_cron_expression": "0 0 * * * ?", "timezone_id": "UTC", "pause_status": "UNPAUSED"},
        }
    )
    update_states: list[str] = field(default_factory=lambda: ["INITIALIZING", "RUNNING", "COMPLETED"])
    # The events of the next update, oldest first, without update_id (the fake adds it).
    update_events: list[dict] = field(default_factory=healthy_flow_events)
    # Events of an earlier update (older than T0), which ops must not count.
    old_events: list[dict] = field(
        default_factory=lambda: [
            flow_event("clickstream_dev.silver.events", "FAILED", at_ms=T0_MS - 3_600_000, error="old failure"),
        ]
    )
    gold_counts: dict[str, int] = field(default_factory=lambda: {t: 100 + i for i, t in enumerate(GOLD_TABLES)})
    statement_pending: bool = True  # answer PENDING first, so ops has to poll
    faults: list[Fault] = field(default_factory=list)
    page_size_cap: int = 5  # the fake pages events and grants in small pages
    # What happened, for assertions.
    requests: list[tuple[str, str, dict, Any]] = field(default_factory=list)
    last_headers: dict[str, str] = field(default_factory=dict)
    unrouted: list[str] = field(default_factory=list)
    runs: dict[int, int] = field(default_factory=dict)
    updates: dict[str, dict] = field(default_factory=dict)
    statements: dict[str, int] = field(default_factory=dict)

    def calls(self, method: str, pattern: str) -> list[tuple[str, str, dict, Any]]:
        return [r for r in self.requests if r[0] == method and re.fullmatch(pattern, r[1])]


Handler = Callable[[Workspace, re.Match, dict, Any], tuple[int, Any]]
ROUTES: list[tuple[str, re.Pattern, Handler]] = []


def route(method: str, pattern: str):
    def register(handler: Handler) -> Handler:
        ROUTES.append((method, re.compile(pattern), handler))
        return handler

    return register


def error(status: int, code: str, message: str) -> tuple[int, Any]:
    return status, {"error_code": code, "message": message}


def page(items: list, query: dict, cap: int, key: str) -> dict[str, Any]:
    start = int(query.get("page_token", ["0"])[0])
    size = min(int(query.get("max_results", [cap])[0]) or cap, cap)
    body: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        body["next_page_token"] = str(start + size)
    return body


@route("GET", r"/\.well-known/databricks-config")
def host_metadata(ws, m, q, b):
    return 200, {"oidc_endpoint": "http://127.0.0.1/oidc", "workspace_id": "1234567890"}


IDENTITY_HEADER = "test-identity-header"  # TEST ONLY: the App Service identity endpoint secret


@route("GET", r"/msi/token")
def managed_identity_token(ws, m, q, b):
    """The App Service / Container Apps managed identity endpoint (IDENTITY_ENDPOINT)."""
    if ws.last_headers.get("X-IDENTITY-HEADER") != IDENTITY_HEADER:
        return error(401, "UNAUTHORIZED", "missing X-IDENTITY-HEADER")
    expires_on = int(datetime.now(UTC).timestamp()) + 3600
    return 200, {
        "access_token": ws.token,
        "expires_on": str(expires_on),
        "resource": q["resource"][0],
        "token_type": "Bearer",
    }


@route("GET", r"/api/2\.0/preview/scim/v2/Me")
def me(ws, m, q, b):
    return 200, ws.me


def _uc_getter(kind: str, missing_code: str) -> Handler:
    """GET /api/2.1/unity-catalog/<kind>/{full_name}: the stored object or a 404."""

    def get(ws, m, q, b):
        objects = getattr(ws, kind)
        name = m.group(1)
        if name not in objects:
            return error(404, missing_code, f"{kind[:-1].capitalize()} '{name}' does not exist.")
        return 200, objects[name]

    return get


for _kind, _code in (
    ("catalogs", "CATALOG_DOES_NOT_EXIST"),
    ("schemas", "SCHEMA_DOES_NOT_EXIST"),
    ("volumes", "VOLUME_DOES_NOT_EXIST"),
    ("tables", "TABLE_DOES_NOT_EXIST"),
):
    route("GET", rf"/api/2\.1/unity-catalog/{_kind}/([^/]+)")(_uc_getter(_kind, _code))


@route("GET", r"/api/2\.1/unity-catalog/external-locations")
def list_locations(ws, m, q, b):
    return 200, {"external_locations": ws.external_locations}


def _ancestors(securable_type: str, full_name: str) -> list[tuple[str, str]]:
    if securable_type == "schema":
        return [("catalog", full_name.split(".")[0])]
    if securable_type == "volume":
        catalog, schema, _ = full_name.split(".")
        return [("schema", f"{catalog}.{schema}"), ("catalog", catalog)]
    return []


@route("GET", r"/api/2\.1/unity-catalog/effective-permissions/([a-z_]+)/([^/]+)")
def effective_permissions(ws, m, q, b):
    """Direct grants plus those inherited from ancestors and the metastore, as UC computes them."""
    securable_type, full_name = m.group(1), m.group(2)
    held: dict[str, list[dict]] = {}
    for principal, privileges in ws.grants.get((securable_type, full_name), {}).items():
        held.setdefault(principal, []).extend({"privilege": p} for p in sorted(privileges))
    sources = [(t, n, ws.grants.get((t, n), {})) for t, n in _ancestors(securable_type, full_name)]
    sources.append(("metastore", "metastore-westeurope", ws.metastore_grants))
    for source_type, source_name, grants in sources:
        for principal, privileges in grants.items():
            held.setdefault(principal, []).extend(
                # The API spells the type as the SecurableType enum: CATALOG, METASTORE.
                {"privilege": p, "inherited_from_type": source_type.upper(), "inherited_from_name": source_name}
                for p in sorted(privileges)
            )
    assignments = [{"principal": p, "privileges": privs} for p, privs in sorted(held.items())]
    return 200, page(assignments, q, ws.page_size_cap, "privilege_assignments")


@route("POST", r"/api/2\.2/jobs/run-now")
def run_now(ws, m, q, b):
    if b.get("job_id") != JOB_ID:
        return error(404, "RESOURCE_DOES_NOT_EXIST", f"Job {b.get('job_id')} does not exist.")
    run_id = 9000 + len(ws.runs)
    ws.runs[run_id] = 0
    return 200, {"run_id": run_id, "number_in_job": run_id}


@route("GET", r"/api/2\.2/jobs/runs/get")
def get_run(ws, m, q, b):
    run_id = int(q["run_id"][0])
    if run_id not in ws.runs:
        return error(404, "RESOURCE_DOES_NOT_EXIST", f"Run {run_id} does not exist.")
    step = min(ws.runs[run_id], len(ws.run_states) - 1)
    ws.runs[run_id] += 1
    state = ws.run_states[step]
    body = {
        "run_id": run_id,
        "job_id": JOB_ID,
        "state": state,
        "run_page_url": f"https://adb-1.azuredatabricks.net/jobs/{JOB_ID}/runs/{run_id}",
    }
    if state["life_cycle_state"] == "TERMINATED":
        body["tasks"] = ws.run_tasks
    return 200, body


@route("GET", r"/api/2\.2/jobs/get")
def get_job(ws, m, q, b):
    return 200, {"job_id": int(q["job_id"][0]), "settings": ws.job_settings}


@route("POST", r"/api/2\.2/jobs/update")
def update_job(ws, m, q, b):
    ws.job_settings = {**ws.job_settings, **b["new_settings"]}
    return 200, {}


@route("POST", r"/api/2\.0/pipelines/([^/]+)/updates")
def start_update(ws, m, q, b):
    if m.group(1) != PIPELINE_ID:
        return error(404, "RESOURCE_DOES_NOT_EXIST", f"Pipeline {m.group(1)} does not exist.")
    if any(u["polls"] < len(ws.update_states) - 1 for u in ws.updates.values()):
        return error(409, "RESOURCE_CONFLICT", "An active update already exists.")
    update_id = f"upd-{len(ws.updates) + 1}"
    ws.updates[update_id] = {"polls": 0, "full_refresh": bool(b.get("full_refresh"))}
    return 200, {"update_id": update_id}


def _update_info(ws: Workspace, update_id: str) -> dict[str, Any]:
    update = ws.updates[update_id]
    return {
        "pipeline_id": PIPELINE_ID,
        "update_id": update_id,
        "state": ws.update_states[min(update["polls"], len(ws.update_states) - 1)],
        "creation_time": T0_MS,
        "full_refresh": update["full_refresh"],
        "cause": "API_CALL",
    }


@route("GET", r"/api/2\.0/pipelines/([^/]+)/updates/([^/]+)")
def get_update(ws, m, q, b):
    update_id = m.group(2)
    if update_id not in ws.updates:
        return error(404, "RESOURCE_DOES_NOT_EXIST", f"Update {update_id} does not exist.")
    info = _update_info(ws, update_id)
    ws.updates[update_id]["polls"] += 1
    return 200, {"update": info}


@route("GET", r"/api/2\.0/pipelines/([^/]+)/updates")
def list_updates(ws, m, q, b):
    newest_first = sorted(ws.updates, reverse=True)
    return 200, {"updates": [_update_info(ws, u) for u in newest_first]}


@route("GET", r"/api/2\.0/pipelines/([^/]+)/events")
def list_events(ws, m, q, b):
    if set(q) - {"max_results", "page_token"}:
        return error(400, "INVALID_PARAMETER_VALUE", f"unsupported parameters {sorted(q)}")
    latest = max(ws.updates, default=None)
    mine = [{**e, "origin": {**e["origin"], "update_id": latest}} for e in ws.update_events] if latest else []
    older = [{**e, "origin": {**e["origin"], "update_id": "upd-0"}} for e in ws.old_events]
    newest_first = sorted(mine + older, key=lambda e: e["timestamp"], reverse=True)
    return 200, page(newest_first, q, ws.page_size_cap, "events")


STATEMENT = re.compile(r"SELECT COUNT\(\*\) AS row_count FROM `([^`]+)`\.`([^`]+)`\.`([^`]+)`")


def _statement_result(ws: Workspace, statement_id: str, table: str) -> dict[str, Any]:
    """``table`` is schema-qualified (gold.fact_events), as ``gold_counts`` is keyed."""
    if table not in ws.gold_counts:
        return {
            "statement_id": statement_id,
            "status": {
                "state": "FAILED",
                "error": {
                    "error_code": "BAD_REQUEST",
                    "message": f"[TABLE_OR_VIEW_NOT_FOUND] The table or view `{CATALOG}`.{table} cannot be found.",
                },
            },
        }
    return {
        "statement_id": statement_id,
        "status": {"state": "SUCCEEDED"},
        "manifest": {
            "format": "JSON_ARRAY",
            "schema": {"column_count": 1, "columns": [{"name": "row_count", "type_name": "LONG", "position": 0}]},
            "total_row_count": 1,
        },
        "result": {"chunk_index": 0, "row_offset": 0, "row_count": 1, "data_array": [[str(ws.gold_counts[table])]]},
    }


@route("POST", r"/api/2\.0/sql/statements")
def execute_statement(ws, m, q, b):
    if b.get("warehouse_id") != WAREHOUSE_ID:
        return error(404, "RESOURCE_DOES_NOT_EXIST", f"Warehouse {b.get('warehouse_id')} does not exist.")
    parsed = STATEMENT.fullmatch(b.get("statement", ""))
    if not parsed or parsed.group(1) != CATALOG:
        return error(400, "INVALID_PARAMETER_VALUE", f"unexpected statement {b.get('statement')!r}")
    statement_id = f"st-{len(ws.statements) + 1}"
    ws.statements[statement_id] = f"{parsed.group(2)}.{parsed.group(3)}"
    if ws.statement_pending:
        return 200, {"statement_id": statement_id, "status": {"state": "PENDING"}}
    return 200, _statement_result(ws, statement_id, ws.statements[statement_id])


@route("GET", r"/api/2\.0/sql/statements/([^/]+)")
def get_statement(ws, m, q, b):
    statement_id = m.group(1)
    return 200, _statement_result(ws, statement_id, ws.statements[statement_id])


def outputs_document(url: str) -> dict:
    return {
        ENV: {
            "workspace_url": url,
            "workspace_id": "1234567890",
            "workspace_resource_id": "/subscriptions/0000/resourceGroups/rg-clickstream-dev/providers/"
            "Microsoft.Databricks/workspaces/dbw-clickstream-dev",
            "catalog": CATALOG,
            "landing_path": LANDING_URL,
            "landing_volume_path": f"/Volumes/{CATALOG}/bronze/landing",
            "storage_account": "stclkdev",
            "pipeline_id": PIPELINE_ID,
            "producer_job_id": str(JOB_ID),
            "masks_job_id": str(JOB_ID),  # the fake runs one job
            "warehouse_id": WAREHOUSE_ID,
            "groups": json.dumps(GROUPS),
        }
    }


class _Handler(BaseHTTPRequestHandler):
    workspace: Workspace

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _serve(self, method: str) -> None:
        url = urlparse(self.path)
        path = unquote(url.path)
        query = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length)) if length else {}
        ws = self.workspace
        ws.requests.append((method, path, query, body))
        ws.last_headers = dict(self.headers)
        status, payload, headers = self._dispatch(ws, method, path, query, body)
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _dispatch(self, ws, method, path, query, body) -> tuple[int, Any, dict[str, str]]:
        unauthenticated = path.startswith(("/.well-known/", "/msi/"))
        if not unauthenticated and self.headers.get("Authorization") != f"Bearer {ws.token}":
            return 401, {"error_code": "UNAUTHENTICATED", "message": "Invalid access token."}, {}
        for fault in ws.faults:
            if fault.times > 0 and fault.method == method and re.fullmatch(fault.path, path):
                fault.times -= 1
                return fault.status, {"error_code": fault.error_code, "message": fault.message}, fault.headers
        for route_method, pattern, handler in ROUTES:
            match = pattern.fullmatch(path)
            if route_method == method and match:
                status, payload = handler(ws, match, query, body)
                return status, payload, {}
        ws.unrouted.append(f"{method} {path}")
        return 404, {"error_code": "ENDPOINT_NOT_FOUND", "message": f"No API found for '{method} {path}'"}, {}

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")


class FakeDatabricks:
    """Serves ``workspace`` on 127.0.0.1 on a free port until ``close``."""

    def __init__(self, workspace: Workspace):
        handler = type("Handler", (_Handler,), {"workspace": workspace})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        # A short poll interval keeps shutdown (once per test) from costing 0.5 s.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-databricks", daemon=True
        )
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
