"""Prometheus and Alertmanager beside a fleet started here, without Docker (`make observability`, which is
`platform demo --keep-running --observability`): Debian's `prometheus` and `prometheus-alertmanager` packages,
downloaded and unpacked into .cache/ (never installed, as tools/promtool.sh gets promtool), loaded with the
project's alert rules (deploy/prometheus/alerts.yml) and scraping every service of the fleet.

Grafana is not a Debian package and no release archive can be fetched on this machine, so the project's
dashboard (deploy/grafana/dashboards/platform.json, the one docker-compose's Grafana loads) is drawn as a
Prometheus console page instead, panel for panel, at /consoles/platform.html."""

import contextlib
import html
import json
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from platform_deploy.paths import REPO_ROOT
from platform_deploy.processes import free_port, terminate, wait_until

CACHE = REPO_ROOT / ".cache"
RULES = REPO_ROOT / "deploy" / "prometheus" / "alerts.yml"
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
    installed there, that one folder is linked to the unpacked package (the only thing placed outside .cache/);
    False when it cannot be (not root): then Prometheus runs alone and shows its alerts itself."""
    if (DEBIAN_TEMPLATES / "default.tmpl").exists():
        return True
    try:
        DEBIAN_TEMPLATES.parent.mkdir(parents=True, exist_ok=True)
        DEBIAN_TEMPLATES.symlink_to(root / "usr" / "share" / "prometheus" / "alertmanager", target_is_directory=True)
    except OSError:
        return False
    return True


def prometheus_config(services: Mapping[str, str], alertmanager: str | None) -> dict[str, Any]:
    """deploy/prometheus/prometheus.yml's jobs, pointed at this fleet's addresses."""
    return {
        "global": {"scrape_interval": f"{SCRAPE_SECONDS}s", "evaluation_interval": f"{SCRAPE_SECONDS}s"},
        "rule_files": [str(RULES)],
        "alerting": {"alertmanagers": [{"static_configs": [{"targets": [alertmanager] if alertmanager else []}]}]},
        "scrape_configs": [{"job_name": name, "static_configs": [{"targets": [urlsplit(url).netloc]}]}
                           for name, url in sorted(services.items())],
    }


ALERTMANAGER_CONFIG = {"route": {"receiver": "operators", "group_by": ["alertname", "job"]},
                       "receivers": [{"name": "operators"}]}
"""No sender is configured here: alerts are read on Alertmanager's API and on Prometheus's /alerts."""


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
def observability(services: Mapping[str, str], log_dir: Path) -> Iterator[Stack]:
    """Prometheus and Alertmanager on free loopback ports, scraping `services` (name → base URL); stopped when
    the block ends. Their data lives under .cache/observability/ for the run only."""
    prometheus_root, alertmanager_root = unpacked("prometheus"), unpacked("prometheus-alertmanager")
    work = CACHE / "observability"
    consoles, data = work / "consoles", work / "data"
    for folder in (consoles, data / "prometheus", data / "alertmanager"):
        folder.mkdir(parents=True, exist_ok=True)
    prometheus_port, alertmanager_port, cluster_port = free_port(), free_port(), free_port()
    alertmanager = f"127.0.0.1:{alertmanager_port}" if alertmanager_templates(alertmanager_root) else None
    # JSON is YAML: no YAML writer needed.
    (work / "prometheus.yml").write_text(json.dumps(prometheus_config(services, alertmanager), indent=2))
    (work / "alertmanager.yml").write_text(json.dumps(ALERTMANAGER_CONFIG, indent=2))
    (consoles / "platform.html").write_text(console_page(json.loads(DASHBOARD.read_text())))
    examples = prometheus_root / "usr" / "share" / "doc" / "prometheus" / "examples"
    started: list[subprocess.Popen[bytes]] = []
    try:
        if alertmanager is not None:
            started.append(_start([str(alertmanager_root / "usr" / "bin" / "prometheus-alertmanager"),
                                   f"--config.file={work / 'alertmanager.yml'}",
                                   f"--web.listen-address={alertmanager}", f"--storage.path={data / 'alertmanager'}",
                                   f"--cluster.listen-address=127.0.0.1:{cluster_port}"],
                                  log_dir / "alertmanager.log"))
        started.append(_start([str(prometheus_root / "usr" / "bin" / "prometheus"),
                               f"--config.file={work / 'prometheus.yml'}",
                               f"--web.listen-address=127.0.0.1:{prometheus_port}",
                               f"--storage.tsdb.path={data / 'prometheus'}",
                               f"--web.local-assets={prometheus_root / 'usr' / 'share' / 'prometheus' / 'web'}",
                               f"--web.console.templates={consoles}",
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


def _start(command: list[str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _ready(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False
