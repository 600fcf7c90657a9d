"""HTTP load test of a freshly rendered backend, to catch throughput/latency regressions in the template.

Renders a preset (default ecommerce), installs it, migrates a throw-away PostgreSQL database
(``bench_<random>``), seeds ~200 rows of an owned resource through the API, then drives
``make serve`` (127.0.0.1 only) with wrk for each worker count x connection count on
three authenticated reads: the list endpoint, get-by-id and /users/me.

``--framework fastapi`` (default) serves with uvicorn; ``--framework nextjs`` renders the Next.js output on
PostgreSQL, runs ``make build`` (next build) after migrating and serves with ``next start``. ``--workers`` is
``make serve``'s WORKERS in both: uvicorn worker processes, or ``next start`` processes sharing the port.

The app's rate limiter (RATE_LIMIT, 120/minute per token by default, in both outputs) would turn nearly every
benchmark request into a 429, so the server runs with ``--rate-limit`` (a very high limit by
default); pass ``--rate-limit app`` to measure the app with its own default instead. ``--env KEY=VALUE``
passes any other setting (e.g. DATABASE_POOL_SIZE=20) to try a tuning without editing the template.

The cpu columns are the server's process group (not PostgreSQL, not wrk) during the measured run:
% of one core, and milliseconds per request (the DESIGN.md §6 "CPU per request" figure).

The server's process group is always stopped and the database dropped (try/finally).

    eval "$(scripts/services.sh env)"
    python bench/http_load.py --workers 1,2 --connections 16,64 --duration 15
    python bench/http_load.py --framework nextjs --connections 16,64,256 --duration 10
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
PASSWORD = "bench-password-123"

# Runs inside the generated project's venv (it has asyncpg), so this script needs no driver itself.
ADMIN_DB_SNIPPET = r"""
import asyncio, sys
import asyncpg

async def main(url, action, name):
    conn = await asyncpg.connect(url, timeout=15)
    try:
        if action == "create":
            await conn.execute(f'CREATE DATABASE "{name}"')
        else:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()

asyncio.run(main(*sys.argv[1:4]))
"""

# The same for a Next.js project, with the `pg` driver from its node_modules (node -e resolves from the cwd).
ADMIN_DB_NODE_SNIPPET = r"""
const { Client } = require("pg");
const [url, action, name] = process.argv.slice(1);
(async () => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 15000 });
  await client.connect();
  try {
    await client.query(action === "create" ? `CREATE DATABASE "${name}"` : `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
})().catch((error) => { console.error(error); process.exit(1); });
"""


@dataclass(frozen=True)
class Framework:
    """What differs between the two outputs as far as this benchmark goes."""

    name: str
    copier_data: tuple[str, ...]  # extra ``-d`` answers for copier
    health_path: str
    make_build: bool  # run ``make build`` before serving (next build); ``make serve`` would do it inside the health wait


FRAMEWORKS = {
    "fastapi": Framework("fastapi", (), "/health", make_build=False),
    # Next.js supports sqlite and postgresql only; the copier default is sqlite, whose driver could not reach the server.
    "nextjs": Framework("nextjs", ("framework=nextjs", "database=postgresql"), "/api/health", make_build=True),
}

# wrk script: optional rotation over several paths (built once per thread in init, so request()
# only returns a prepared string), optional per-status counting, and a machine-readable summary.
LUA_TEMPLATE = r"""
local paths = {PATHS}
local count_statuses = {COUNT_STATUSES}
local prepared = {}
local idx = 0
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  for i, p in ipairs(paths) do
    prepared[i] = wrk.format(nil, p)
  end
  idx = math.random(math.max(#paths, 1))
end

-- wrk decides "static request or not" from the top-level globals, so these live here, not in init.
if #paths > 0 then
  function request()
    idx = idx % #prepared + 1
    return prepared[idx]
  end
end

if count_statuses then
  function response(status, headers, body)
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests_)
  local totals = {}
  for _, t in ipairs(threads) do
    local s = t:get("statuses")
    if s then
      for code, n in pairs(s) do
        totals[code] = (totals[code] or 0) + n
      end
    end
  end
  local codes = {}
  for code, n in pairs(totals) do
    codes[#codes + 1] = string.format('"%d":%d', code, n)
  end
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,' ..
    '"non2xx":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"statuses":[%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout, table.concat(codes, ",")))
end
"""


def log(msg: str) -> None:
    print(f"[http_load] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    """Run a command, raising with its output on failure."""
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (rc={proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return proc.stdout


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def admin_db(project: Path, framework: Framework, server_url: str, action: str, name: str) -> None:
    """CREATE or DROP a database through the server's maintenance database, with the project's own driver."""
    admin_url = with_database(server_url, "postgres")
    url = admin_url.replace("postgresql+asyncpg://", "postgresql://").replace("postgres://", "postgresql://")
    if framework.name == "nextjs":
        cmd = ["node", "-e", ADMIN_DB_NODE_SNIPPET, url, action, name]
    else:
        cmd = [str(project / ".venv/bin/python"), "-c", ADMIN_DB_SNIPPET, url, action, name]
    run(cmd, cwd=project, timeout=60)


class Server:
    """``make serve`` in its own session, so the whole process group (uvicorn workers, next-server) can be signalled."""

    def __init__(self, project: Path, env: dict[str, str], workers: int, log_path: Path, health_path: str) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.health_url = self.base + health_path
        self.log_path = log_path
        self.log_file = open(log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.log_offset = log_path.stat().st_size
        server_env = {**env, "HOST": HOST, "PORT": str(self.port), "WORKERS": str(workers)}
        self.proc = subprocess.Popen(
            ["make", "serve", f"HOST={HOST}", f"PORT={self.port}"], cwd=project, env=server_env,
            stdout=self.log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )

    def wait_healthy(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        last = "no answer"
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                response = httpx.get(self.health_url, timeout=2)
                if response.status_code == 200:
                    return
                last = f"HTTP {response.status_code}: {response.text[:200]}"
            except httpx.HTTPError as exc:
                last = repr(exc)
            time.sleep(0.25)
        raise RuntimeError(f"{self.health_url} not ready after {timeout} s ({last}):\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        self.log_file.flush()
        return self.log_path.read_bytes()[-chars:].decode(errors="replace")

    def new_log(self) -> str:
        """Server output since the last call (to attribute errors to a run)."""
        self.log_file.flush()
        data = self.log_path.read_bytes()
        text = data[self.log_offset:].decode(errors="replace")
        self.log_offset = len(data)
        return text

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the live processes of the group; 0 without /proc."""
        return group_cpu_seconds(self.proc.pid)

    def stop(self, timeout: float = 20) -> None:
        """SIGTERM the group (uvicorn and next start shut down gracefully), SIGKILL whatever is left after ``timeout``."""
        pgid = self.proc.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _group_alive(pgid):
            self.proc.poll()  # reap make so it does not linger as a zombie
            time.sleep(0.2)
        if _group_alive(pgid):
            log(f"server group {pgid} still alive after SIGTERM; SIGKILL")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        self.log_file.close()


def group_cpu_seconds(pgid: int) -> float:
    """Sum of utime + stime over /proc/<pid>/stat for the processes in group ``pgid`` (Linux only)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        # The command name (field 2) may hold spaces; the fields after its closing ")" are fixed.
        fields = stat[stat.rfind(")") + 2:].split()
        if int(fields[2]) == pgid:  # field 5: pgrp
            total += int(fields[11]) + int(fields[12])  # fields 14, 15: utime, stime
    return total / ticks


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def login(base: str, api: str, email: str) -> str:
    response = httpx.post(f"{base}{api}/auth/login", data={"username": email, "password": PASSWORD}, timeout=30)
    response.raise_for_status()
    return response.json()["access_token"]


def make_unique(sample: dict, i: int) -> dict:
    """A sample body with unique-looking strings (e-mails, names, slugs) so unique columns do not clash."""
    body = {}
    for key, value in sample.items():
        if isinstance(value, str) and "@" in value:
            local, _, domain = value.partition("@")
            value = f"bench{i}-{local}@{domain}"
        elif isinstance(value, str) and re.search(r"[a-z]", value):
            value = f"{value}-b{i}"
        body[key] = value
    return body


def seed(base: str, api: str, token: str, resource: str, samples: list[dict], count: int) -> list[int]:
    """Create ``count`` rows through the API; returns their ids."""
    ids: list[int] = []
    failures: dict[int, int] = {}
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=30) as client:
        for i in range(count):
            response = client.post(f"{api}/{resource}", json=make_unique(samples[i % len(samples)], i))
            if response.status_code == 201:
                ids.append(response.json()["id"])
            else:
                failures[response.status_code] = failures.get(response.status_code, 0) + 1
                if len(failures) == 1 and sum(failures.values()) == 1:
                    log(f"seed POST failed: {response.status_code} {response.text[:300]}")
    if failures:
        log(f"seed failures by status: {failures}")
    if not ids:
        raise RuntimeError(f"could not seed any {resource}")
    return ids


def run_wrk(url: str, token: str, connections: int, threads: int, duration: int, paths: list[str],
            count_statuses: bool, workdir: Path, timeout_s: int) -> dict:
    lua = (LUA_TEMPLATE.replace("{PATHS}", "{" + ",".join(json.dumps(p) for p in paths) + "}")
           .replace("{COUNT_STATUSES}", "true" if count_statuses else "false"))
    script = workdir / f"wrk_{secrets.token_hex(4)}.lua"
    script.write_text(lua)
    cmd = ["wrk", f"-t{min(threads, connections)}", f"-c{connections}", f"-d{duration}s", f"--timeout={timeout_s}s",
           "-H", f"Authorization: Bearer {token}", "-s", str(script), url]
    out = run(cmd, timeout=duration + timeout_s + 60)
    match = re.search(r"^BENCH_RESULT (.*)$", out, re.M)
    if not match:
        raise RuntimeError(f"no BENCH_RESULT in wrk output:\n{out}")
    raw = match.group(1)
    raw = re.sub(r'"statuses":\[(.*)\]', r'"statuses":{\1}', raw)
    result = json.loads(raw)
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6) if result["duration_us"] else 0.0
    result["socket_errors"] = result["connect"] + result["read"] + result["write"] + result["timeout"]
    return result


def measure(server: Server, url: str, token: str, connections: int, threads: int, duration: int, paths: list[str],
            count_statuses: bool, workdir: Path, timeout_s: int) -> dict:
    """One wrk run plus the server group's CPU over it: shows whether the server (not the DB) is the limit."""
    cpu_before, wall_before = server.cpu_seconds(), time.monotonic()
    result = run_wrk(url, token, connections, threads, duration, paths, count_statuses, workdir, timeout_s)
    cpu = server.cpu_seconds() - cpu_before
    result["cpu_pct"] = 100 * cpu / (time.monotonic() - wall_before)
    result["cpu_ms_per_req"] = 1000 * cpu / result["requests"] if result["requests"] else 0.0
    return result


def setting(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", key):
        raise argparse.ArgumentTypeError("expected KEY=VALUE")
    return key, value


def int_list(text: str) -> list[int]:
    values = [int(v) for v in text.split(",") if v.strip()]
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError("expected a comma-separated list of positive integers")
    return values


ENDPOINTS = ("list", "get-by-id", "users/me")


def endpoint_list(text: str) -> list[str]:
    values = [v.strip() for v in text.split(",") if v.strip()]
    unknown = [v for v in values if v not in ENDPOINTS]
    if not values or unknown:
        raise argparse.ArgumentTypeError(f"expected a comma-separated subset of {','.join(ENDPOINTS)}")
    return values


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--framework", choices=sorted(FRAMEWORKS), default="fastapi",
                        help="which output to render and measure (default fastapi)")
    parser.add_argument("--preset", default="ecommerce")
    parser.add_argument("--resource", default="customers", help="owned resource path under the API (default customers)")
    parser.add_argument("--sample-key", default=None, help="key in tests/samples.json (default: resource without the s)")
    parser.add_argument("--database-url", default=os.environ.get("TEST_POSTGRES_URL"),
                        help="PostgreSQL server URL; a fresh bench_<random> database is created on it (default $TEST_POSTGRES_URL)")
    parser.add_argument("--workers", type=int_list, default=[1, 2],
                        help="make serve's WORKERS counts (default 1,2): uvicorn workers, or next start processes")
    parser.add_argument("--connections", type=int_list, default=[16, 64], help="wrk connection counts (default 16,64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--duration", type=int, default=15, help="seconds per wrk run (default 15, max 300)")
    parser.add_argument("--warmup", type=int, default=2, help="unreported warm-up seconds before each run (default 2)")
    parser.add_argument("--wrk-timeout", type=int, default=5, help="wrk per-request timeout in seconds (default 5)")
    parser.add_argument("--rows", type=int, default=200, help="rows to seed (default 200)")
    parser.add_argument("--rate-limit", default="1000000/minute",
                        help="RATE_LIMIT for the server (default 1000000/minute); 'app' keeps the app's own default")
    parser.add_argument("--env", type=setting, action="append", default=[], metavar="KEY=VALUE",
                        help="extra server setting, repeatable (e.g. DATABASE_POOL_SIZE=20)")
    parser.add_argument("--status-codes", action="store_true",
                        help="count responses per status code in wrk (slower client: wrk then parses every response)")
    parser.add_argument("--keep", action="store_true", help="keep the rendered project directory")
    parser.add_argument("--project", type=Path, default=None,
                        help="measure this already rendered (possibly hand-edited) project instead of rendering one; "
                             "it is installed if needed and never deleted (for A/B runs of a change)")
    parser.add_argument("--endpoints", type=endpoint_list, default=list(ENDPOINTS),
                        help=f"comma-separated subset of {','.join(ENDPOINTS)} (default all)")
    parser.add_argument("--repo", type=Path, default=REPO)
    args = parser.parse_args()
    if not args.database_url:
        parser.error("--database-url or TEST_POSTGRES_URL is required")
    if not 1 <= args.duration <= 300:
        parser.error("--duration must be 1..300")
    if shutil.which("wrk") is None:
        parser.error("wrk is not on PATH")
    sample_key = args.sample_key or args.resource.removesuffix("s")
    framework = FRAMEWORKS[args.framework]

    workdir = Path(tempfile.mkdtemp(prefix=f"http_load_{framework.name}_{args.preset}_"))
    project = args.project.resolve() if args.project else workdir / "project"
    db_name = f"bench_{secrets.token_hex(6)}"
    db_created = False
    server: Server | None = None
    results: list[tuple[str, int, int, dict]] = []
    log_notes: list[str] = []
    try:
        env = {**os.environ, "BACKEND_SQUAD_OFFLINE": "1"}
        if args.project:
            log(f"using the rendered project {project}")
        else:
            log(f"rendering {framework.name} preset {args.preset} into {project}")
            data = [arg for answer in (f"preset={args.preset}", *framework.copier_data) for arg in ("-d", answer)]
            run([sys.executable, "-m", "copier", "copy", "--trust", "--defaults", "--vcs-ref=HEAD", *data,
                 str(args.repo), str(project)], env=env, timeout=300)
        log("make install")
        run(["make", "install"], cwd=project, env=env, timeout=900)

        admin_db(project, framework, args.database_url, "create", db_name)
        db_created = True
        db_url = with_database(args.database_url, db_name)
        log(f"created database {db_name}; make migrate")
        app_env = {**env, "DATABASE_URL": db_url}
        if args.rate_limit != "app":
            app_env["RATE_LIMIT"] = args.rate_limit
        app_env.update(args.env)
        app_env.pop("VIRTUAL_ENV", None)
        run(["make", "migrate"], cwd=project, env=app_env, timeout=300)
        if framework.make_build:
            log("make build")
            run(["make", "build"], cwd=project, env=app_env, timeout=900)

        samples = json.loads((project / "tests/samples.json").read_text())[sample_key]
        api = "/api/v1"
        email = f"bench-{secrets.token_hex(4)}@example.com"
        ids: list[int] = []
        server_log = workdir / "server.log"

        for workers in args.workers:
            log(f"starting make serve ({framework.name}, WORKERS={workers})")
            server = Server(project, app_env, workers, server_log, framework.health_path)
            server.wait_healthy()
            if not ids:
                response = httpx.post(f"{server.base}{api}/auth/register", json={"email": email, "password": PASSWORD}, timeout=30)
                if response.status_code != 201:
                    raise RuntimeError(f"register failed: {response.status_code} {response.text}")
                token = login(server.base, api, email)
                me = httpx.get(f"{server.base}{api}/users/me", headers={"Authorization": f"Bearer {token}"}, timeout=30)
                me.raise_for_status()
                ids = seed(server.base, api, token, args.resource, samples, args.rows)
                log(f"seeded {len(ids)} {args.resource} (ids {ids[0]}..{ids[-1]})")
            endpoints = [
                ("list", f"{api}/{args.resource}?limit=20", []),
                ("get-by-id", f"{api}/{args.resource}/{ids[0]}", [f"{api}/{args.resource}/{i}" for i in ids]),
                ("users/me", f"{api}/users/me", []),
            ]
            endpoints = [endpoint for endpoint in endpoints if endpoint[0] in args.endpoints]
            for connections in args.connections:
                for name, path, paths in endpoints:
                    token = login(server.base, api, email)  # fresh token: never expires mid-benchmark
                    url = server.base + path
                    if args.warmup:
                        run_wrk(url, token, connections, args.threads, args.warmup, paths, False, workdir, args.wrk_timeout)
                    server.new_log()
                    log(f"wrk {name} workers={workers} connections={connections} {args.duration}s")
                    result = measure(server, url, token, connections, args.threads, args.duration, paths,
                                     args.status_codes, workdir, args.wrk_timeout)
                    text = server.new_log()
                    problems = [line for line in text.splitlines() if re.search(r"Traceback|ERROR|Error|exception", line)]
                    if problems:
                        log_notes.append(f"{name} w={workers} c={connections}: {len(problems)} error line(s) in server log, "
                                         f"e.g. {problems[0][:200]}")
                    results.append((name, workers, connections, result))
                    log(f"  -> {result['rps']:.0f} req/s, p50 {result['p50_us'] / 1000:.2f} ms, "
                        f"p99 {result['p99_us'] / 1000:.2f} ms, non-2xx {result['non2xx']}, socket errors {result['socket_errors']}, "
                        f"server cpu {result['cpu_pct']:.0f}%")
            server.stop()
            server = None
    finally:
        if server is not None:
            server.stop()
        if db_created:
            try:
                admin_db(project, framework, args.database_url, "drop", db_name)
                log(f"dropped database {db_name}")
            except Exception as exc:  # report, keep cleaning up
                log(f"could not drop database {db_name}: {exc}")
        if args.keep:
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    print(f"framework={framework.name} preset={args.preset} resource={args.resource} duration={args.duration}s "
          f"threads={args.threads} rate_limit={args.rate_limit} rows={args.rows}"
          + "".join(f" {key}={value}" for key, value in args.env) + (f" project={project}" if args.project else ""))
    print(f"{'endpoint':<10} {'workers':>7} {'conns':>5} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>8} "
          f"{'cpu %':>6} {'cpu ms/req':>10}  detail")
    for name, workers, connections, r in sorted(results, key=lambda row: (row[0], row[1], row[2])):
        detail = f"non2xx={r['non2xx']} sock(c/r/w/t)={r['connect']}/{r['read']}/{r['write']}/{r['timeout']} max={r['max_us'] / 1000:.0f}ms"
        if r.get("statuses"):
            detail += " statuses=" + ",".join(f"{k}:{v}" for k, v in sorted(r["statuses"].items()))
        print(f"{name:<10} {workers:>7} {connections:>5} {r['rps']:>9.1f} {r['p50_us'] / 1000:>8.2f} "
              f"{r['p99_us'] / 1000:>8.2f} {r['non2xx'] + r['socket_errors']:>8} {r['cpu_pct']:>6.0f} "
              f"{r['cpu_ms_per_req']:>10.3f}  {detail}")
    for note in log_notes:
        print("note:", note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
