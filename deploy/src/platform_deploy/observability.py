"""Prometheus and Alertmanager beside a fleet started here, without Docker (`make observability`, which is
`platform demo --keep-running --observability`): Debian's `prometheus` and `prometheus-alertmanager` packages,
downloaded and unpacked into .cache/ (never installed, as tools/debian_tool.sh gets promtool and amtool),
loaded with the project's alert rules (deploy/prometheus/alerts.yml) and scraping every service of the fleet.
Alertmanager runs the project's route (deploy/alertmanager/alertmanager.yml) and posts to `#ops-incident`
(seed §1) at the webhook URL it is given: the fleet's stand-in messenger's, or the real one's.

Grafana is not a Debian package and no release archive can be fetched on this machine, so the project's
dashboard (deploy/grafana/dashboards/platform.json, the one docker-compose's Grafana loads) is drawn as a
Prometheus console page instead, panel for panel, at /consoles/platform.html."""

import contextlib
import html
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import yaml

from platform_deploy.paths import REPO_ROOT
from platform_deploy.processes import free_port, terminate, wait_until

CACHE = REPO_ROOT / ".cache"
RULES = REPO_ROOT / "deploy" / "prometheus" / "alerts.yml"
ALERTMANAGER = REPO_ROOT / "deploy" / "alertmanager"
DASHBOARD = REPO_ROOT / "deploy" / "grafana" / "dashboards" / "platform.json"
SCRAPE_SECONDS = 5
"""Faster than production's 15 s: an operator trying the demo sees a change within seconds."""


def unpacked(package: str) -> Path:
    """The root of Debian package `package` unpacked under .cache/ (downloaded the first time)."""
    root = CACHE / package
    if not (root / "usr" / "bin").is_dir():
        debs = CACHE / f"{package}-deb"
        debs.mkdir(parents=True, exist_ok=True)
        download = ["apt-get", "download", package]
        if subprocess.run(download, cwd=debs, capture_output=True).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], check=True)
            subprocess.run(download, cwd=debs, check=True)
        [deb] = sorted(debs.glob(f"{package}_*.deb"))[-1:]
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


DEBIAN_TEMPLATES = Path("/usr/share/prometheus/alertmanager")
"""Where Debian's Alertmanager reads its default notification template: the path is built into the binary."""


def alertmanager_templates(root: Path) -> bool:
    """Debian's Alertmanager refuses to start without its default template at DEBIAN_TEMPLATES. With no package
    installed there, that one folder (60 KB) is copied from the unpacked package (the only thing placed outside
    .cache/): a copy, not a link, since a link into one checkout's .cache/ dangles once that checkout is gone,
    and one left dangling is replaced. False when it cannot be (not root): then Prometheus runs alone and
    shows its alerts itself."""
    if (DEBIAN_TEMPLATES / "default.tmpl").exists():
        return True
    try:
        if DEBIAN_TEMPLATES.is_symlink():
            DEBIAN_TEMPLATES.unlink()
        DEBIAN_TEMPLATES.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(root / "usr" / "share" / "prometheus" / "alertmanager", DEBIAN_TEMPLATES, dirs_exist_ok=True)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class Pace:
    """How soon the stack sees and says things: the project's own timings by default. A drill (a test that
    must see an alert reach `#ops-incident` in seconds) shortens them; production's files stay as written."""

    scrape_seconds: int = SCRAPE_SECONDS
    """Scrape and rule evaluation interval."""
    pending_for: str | None = None
    """Every rule's `for:` replaced by this; None: as written."""
    group_wait: str | None = None
    """The route's group_wait replaced by this; None: as written."""
    only: frozenset[str] | None = None
    """Only these alerts' rules (a drill of one alert, which nothing else may post beside); None: all."""


def rules_file(pace: Pace, work: Path) -> Path:
    """The project's alert rules, or at a drill's pace a copy of them with its `for:` and selection."""
    if pace.pending_for is None and pace.only is None:
        return RULES
    groups = yaml.safe_load(RULES.read_text())["groups"]
    for group in groups:
        group["rules"] = [rule for rule in group["rules"] if pace.only is None or rule["alert"] in pace.only]
        for rule in group["rules"]:
            if pace.pending_for is not None and "for" in rule:
                rule["for"] = pace.pending_for
    derived = work / "alerts.yml"
    derived.write_text(json.dumps({"groups": [group for group in groups if group["rules"]]}, ensure_ascii=False))
    return derived


def alertmanager_config(webhook_url_file: Path | None, pace: Pace) -> dict[str, Any]:
    """deploy/alertmanager/alertmanager.yml with its templates found in the repo and the `#ops-incident`
    webhook URL read from `webhook_url_file` (None: no post is sent; alerts are read on Alertmanager's API)."""
    config: dict[str, Any] = yaml.safe_load((ALERTMANAGER / "alertmanager.yml").read_text())
    config["templates"] = [str(ALERTMANAGER / name) for name in config.get("templates", [])]
    for receiver in config["receivers"]:
        if webhook_url_file is None:
            receiver.pop("slack_configs", None)
        for slack in receiver.get("slack_configs", []):
            slack["api_url_file"] = str(webhook_url_file)
    if pace.group_wait is not None:
        config["route"]["group_wait"] = pace.group_wait
    return config


def prometheus_config(services: Mapping[str, str], alertmanager: str | None, rules: Path = RULES,
                      pace: Pace = Pace()) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml's jobs, pointed at this fleet's addresses."""
    return {
        "global": {"scrape_interval": f"{pace.scrape_seconds}s", "evaluation_interval": f"{pace.scrape_seconds}s"},
        "rule_files": [str(rules)],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager] if alertmanager else []}]}]},
        "scrape_configs": [{"job_name": name, "static_configs": [{"targets": [urlsplit(url).netloc]}]}
                           for name, url in sorted(services.items())],
    }


def console_page(dashboard: Mapping[str, Any]) -> str:
    """The Grafana dashboard as a Prometheus console page: a graph per time series panel, the current values
    for a stat or table panel (the sending switch and the pause's reason first, as on the dashboard)."""
    parts = ['{{ template "head" . }}', '{{ template "prom_content_head" . }}',
             f'<div class="prom_content_div"><h1>{html.escape(dashboard["title"])}</h1>']
    panels = sorted(dashboard["panels"], key=lambda p: (p["gridPos"]["y"], p["gridPos"]["x"]))
    for panel in panels:
        parts.append(f"<h3>{html.escape(panel['title'])}</h3>")
        for target in panel["targets"]:
            expr = target["expr"]
            if panel["type"] == "timeseries":
                node = f"p{panel['id']}{target['refId']}"
                parts.append(f'<div id="{node}"></div><script>new PromConsole.Graph({{node: document.querySelector('
                             f'"#{node}"), expr: {json.dumps(expr)}, name: {json.dumps(_legend(target))}}})</script>')
            else:
                parts.append("<table class=\"table table-sm\">{{ range query " + json.dumps(expr) + " }}<tr><td>"
                             "{{ range $name, $value := .Labels }}{{ $name }}={{ $value }} {{ end }}</td>"
                             "<td>{{ .Value }}</td></tr>{{ else }}<tr><td>none</td></tr>{{ end }}</table>")
    parts += ["</div>", '{{ template "prom_content_tail" . }}', '{{ template "tail" }}']
    return "\n".join(parts) + "\n"


def _legend(target: Mapping[str, Any]) -> str:
    """Grafana's `{{label}}` legend in the console library's `[[label]]` form."""
    return str(target.get("legendFormat", "")).replace("{{", "[[").replace("}}", "]]") or "[[job]] [[instance]]"


@dataclass(frozen=True)
class Stack:
    prometheus: str
    alertmanager: str | None
    """None where Debian's Alertmanager could not be given its templates (alertmanager_templates)."""

    @property
    def dashboard(self) -> str:
        return f"{self.prometheus}/consoles/platform.html"


@contextlib.contextmanager
def observability(services: Mapping[str, str], log_dir: Path, ops_incident_webhook_url: str | None = None,
                  pace: Pace = Pace()) -> Iterator[Stack]:
    """Prometheus and Alertmanager on free loopback ports, scraping `services` (name → base URL), Alertmanager
    posting to `ops_incident_webhook_url` (None: no posts); stopped when the block ends. Their files and data
    live in a folder of their own under .cache/observability/, removed when the block ends: a run never
    inherits the last one's series, nor its record of what was already posted."""
    prometheus_root, alertmanager_root = unpacked("prometheus"), unpacked("prometheus-alertmanager")
    (CACHE / "observability").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="run-", dir=CACHE / "observability"))
    prometheus_port, alertmanager_port = free_port(), free_port()
    alertmanager = f"127.0.0.1:{alertmanager_port}" if alertmanager_templates(alertmanager_root) else None
    _write_files(work, services, alertmanager, ops_incident_webhook_url, pace)
    examples = prometheus_root / "usr" / "share" / "doc" / "prometheus" / "examples"
    started: list[subprocess.Popen[bytes]] = []
    try:
        if alertmanager is not None:
            # One Alertmanager, so no cluster (an empty address turns the gossip, and its settling wait, off).
            started.append(_start([str(alertmanager_root / "usr" / "bin" / "prometheus-alertmanager"),
                                   f"--config.file={work / 'alertmanager.yml'}",
                                   f"--web.listen-address={alertmanager}",
                                   f"--storage.path={work / 'data' / 'alertmanager'}", "--cluster.listen-address="],
                                  log_dir / "alertmanager.log"))
        started.append(_start([str(prometheus_root / "usr" / "bin" / "prometheus"),
                               f"--config.file={work / 'prometheus.yml'}",
                               f"--web.listen-address=127.0.0.1:{prometheus_port}",
                               f"--storage.tsdb.path={work / 'data' / 'prometheus'}",
                               f"--web.local-assets={prometheus_root / 'usr' / 'share' / 'prometheus' / 'web'}",
                               f"--web.console.templates={work / 'consoles'}",
                               f"--web.console.libraries={examples / 'console_libraries'}"],
                              log_dir / "prometheus.log"))
        stack = Stack(f"http://127.0.0.1:{prometheus_port}", f"http://{alertmanager}" if alertmanager else None)
        for name, base in (("alertmanager", stack.alertmanager), ("prometheus", stack.prometheus)):
            if base is not None:
                wait_until(partial(_ready, f"{base}/-/ready"), timeout=60, what=name)
        yield stack
    finally:
        for process in reversed(started):
            terminate(process)
        shutil.rmtree(work, ignore_errors=True)


def _write_files(work: Path, services: Mapping[str, str], alertmanager: str | None, webhook_url: str | None,
                 pace: Pace) -> None:
    """Both configurations, the webhook URL's file (readable by its owner only: it is a secret) and the
    dashboard's console page, in `work`. JSON is YAML: no YAML writer needed."""
    for folder in (work / "consoles", work / "data" / "prometheus", work / "data" / "alertmanager"):
        folder.mkdir(parents=True, exist_ok=True)
    url_file = None
    if webhook_url is not None:
        url_file = work / "ops-incident-webhook-url"
        url_file.touch(mode=0o600)
        url_file.write_text(webhook_url)
    prometheus = prometheus_config(services, alertmanager, rules_file(pace, work), pace)
    (work / "prometheus.yml").write_text(json.dumps(prometheus, indent=2))
    (work / "alertmanager.yml").write_text(json.dumps(alertmanager_config(url_file, pace), ensure_ascii=False))
    (work / "consoles" / "platform.html").write_text(console_page(json.loads(DASHBOARD.read_text())))


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
