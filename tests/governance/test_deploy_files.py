"""The deployment files describe the five services and stay valid.

``docker compose config`` is not on every machine that runs the suite (not on this
one), so the compose file is checked here the way ``docker compose config`` checks
it: known keys only, ``${VAR}`` interpolation with the required variables, services
that depend on services that exist (healthy ones having a health check), named
volumes declared, a build context with a Dockerfile, and commands that name modules
of this project."""

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ENV = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "gov.example"}

TOP_LEVEL = {"version", "name", "services", "networks", "volumes", "configs", "secrets"}
# The service keys of the Compose Specification (compose-spec/schema).
SERVICE_KEYS = set(
    """annotations attach blkio_config build cap_add cap_drop cgroup cgroup_parent
    command configs container_name cpu_count cpu_percent cpu_period cpu_quota
    cpu_rt_period cpu_rt_runtime cpu_shares cpus cpuset credential_spec depends_on
    deploy develop device_cgroup_rules devices dns dns_opt dns_search domainname
    entrypoint env_file environment expose extends external_links extra_hosts gpus
    group_add healthcheck hostname image init ipc isolation labels links logging
    mac_address mem_limit mem_reservation mem_swappiness memswap_limit network_mode
    networks oom_kill_disable oom_score_adj pid pids_limit platform ports post_start
    pre_stop privileged profiles pull_policy read_only restart runtime scale secrets
    security_opt shm_size stdin_open stop_grace_period stop_signal storage_opt
    sysctls tmpfs tty ulimits user userns_mode uts volumes volumes_from
    working_dir""".split()
)
HEALTHCHECK_KEYS = {"test", "interval", "timeout", "retries", "start_period"}
HEALTHCHECK_KEYS |= {"start_interval", "disable"}
CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}
RESTART = {"no", "always", "on-failure", "unless-stopped"}
DURATION = re.compile(r"^(\d+(\.\d+)?(us|ms|s|m|h))+$")
# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error},
# ${NAME:+replacement}, ${NAME+replacement}, $NAME; $$ is a literal dollar.
VARIABLE = re.compile(
    r"\$(?:(?P<escaped>\$)|(?P<bare>[A-Za-z_]\w*)|\{(?P<name>[A-Za-z_]\w*)"
    r"(?:(?P<op>:?[-?+])(?P<arg>[^}]*))?\}|(?P<bad>\{[^}]*\}?))"
)


class ComposeError(ValueError):
    pass


def interpolate(value: str, env: dict) -> str:
    def replace(match):
        if match["escaped"]:
            return "$"
        if match["bad"] is not None:
            raise ComposeError(f"invalid interpolation format: {match[0]!r}")
        name = match["bare"] or match["name"]
        op, arg = match["op"], match["arg"]
        current = env.get(name)
        unset_or_empty = not current if op and op.startswith(":") else current is None
        if op in (":-", "-"):
            return arg if unset_or_empty else current
        if op in (":?", "?"):
            if unset_or_empty:
                raise ComposeError(f"required variable {name} is missing: {arg}")
            return current
        if op in (":+", "+"):
            return "" if unset_or_empty else arg
        return current or ""

    return VARIABLE.sub(replace, value)


def resolved(node, env: dict):
    """The compose file with every string interpolated, as compose does first."""
    if isinstance(node, dict):
        return {key: resolved(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(value, env) for value in node]
    if isinstance(node, str):
        return interpolate(node, env)
    return node


def compose_file() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())  # merges <<


def compose_config(env: dict, raw: dict | None = None) -> dict:
    """What ``docker compose config`` would print for the compose file (or ``raw``),
    or ComposeError for what it would refuse."""
    raw = compose_file() if raw is None else raw
    config = resolved(raw, env)
    problems = []
    for key in config:
        if key not in TOP_LEVEL and not key.startswith("x-"):
            problems.append(f"unknown top-level key {key}")
    services = config.get("services") or {}
    volumes = config.get("volumes") or {}
    for name, service in services.items():
        problems += [
            f"{name}: unknown key {key}"
            for key in service
            if key not in SERVICE_KEYS and not key.startswith("x-")
        ]
        problems += service_problems(name, service, services, volumes)
    if problems:
        raise ComposeError("; ".join(problems))
    return config


def service_problems(name, service, services, volumes) -> list[str]:
    problems = []
    if "image" not in service and "build" not in service:
        problems.append(f"{name}: neither image nor build")
    build = service.get("build")
    if build is not None:
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = (
            "Dockerfile"
            if isinstance(build, str)
            else build.get("dockerfile", "Dockerfile")
        )
        if not (ROOT / context / dockerfile).is_file():
            problems.append(f"{name}: no {dockerfile} in build context {context}")
    environment = service.get("environment", {})
    if isinstance(environment, list):
        environment = dict(item.partition("=")[::2] for item in environment)
    for key, value in environment.items():
        if not isinstance(value, (str, int, float, bool)) and value is not None:
            problems.append(f"{name}: environment {key} is not a scalar")
    depends_on = service.get("depends_on", {})
    if isinstance(depends_on, list):
        depends_on = {other: {"condition": "service_started"} for other in depends_on}
    for other, spec in depends_on.items():
        if other not in services:
            problems.append(f"{name}: depends on undefined service {other}")
            continue
        condition = spec.get("condition", "service_started")
        if condition not in CONDITIONS:
            problems.append(f"{name}: unknown condition {condition}")
        if condition == "service_healthy" and "healthcheck" not in services[other]:
            problems.append(f"{name}: waits for {other} to be healthy, no healthcheck")
    healthcheck = service.get("healthcheck", {})
    problems += [
        f"{name}: healthcheck key {key}"
        for key in healthcheck
        if key not in HEALTHCHECK_KEYS
    ]
    for key in ("interval", "timeout", "start_period", "start_interval"):
        if key in healthcheck and not DURATION.match(str(healthcheck[key])):
            problems.append(f"{name}: healthcheck {key} is not a duration")
    for mount in service.get("volumes", []):
        source = mount.split(":")[0] if isinstance(mount, str) else mount["source"]
        if not source.startswith((".", "/", "~")) and source not in volumes:
            problems.append(f"{name}: volume {source} is not declared")
    for port in service.get("ports", []):
        if not re.fullmatch(r"(\d+(-\d+)?:)?\d+(-\d+)?(/(tcp|udp))?", str(port)):
            problems.append(f"{name}: bad port {port}")
    if str(service.get("restart", "no")) not in RESTART:
        problems.append(f"{name}: bad restart policy {service['restart']}")
    return problems


def test_compose_runs_web_worker_beat_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {
        "web",
        "worker",
        "beat",
        "postgres",
        "redis",
        "objects",
        "proxy",
        "migrate",
        "bucket",
    }
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"]
    assert "beat" in services["beat"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")


def test_compose_config_is_valid():
    """With SECRET_KEY and ALLOWED_HOSTS set the file is a valid compose project;
    the app containers wait for healthy PostgreSQL and Redis and run this
    project's WSGI and Celery modules."""
    config = compose_config(ENV)
    services = config["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["environment"]["SECRET_KEY"] == ENV["SECRET_KEY"]
        assert services[name]["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "objects": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
            "bucket": {"condition": "service_completed_successfully"},
        }
    assert "config.wsgi" in services["web"]["command"]
    assert (ROOT / "config" / "wsgi.py").is_file()
    for name in ("worker", "beat"):
        assert "-A config " in services[name]["command"]
    assert (ROOT / "config" / "celery.py").is_file()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"config.wsgi"' in dockerfile


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_compose_config_refuses_to_run_without_a_required_variable(missing):
    """As ``docker compose config`` does: SECRET_KEY and ALLOWED_HOSTS must be set."""
    env = {k: v for k, v in ENV.items() if k != missing}
    with pytest.raises(ComposeError, match=f"required variable {missing}"):
        compose_config(env)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("${SECRET_KEY", "invalid interpolation"),
        ("${}", "invalid interpolation"),
    ],
)
def test_the_compose_check_catches_malformed_interpolation(text, problem):
    """The checker is not a rubber stamp: a broken ``${`` fails as compose fails."""
    with pytest.raises(ComposeError, match=problem):
        interpolate(text, ENV)


def test_the_compose_check_catches_structural_mistakes():
    """An unknown key, a dependency on a missing service, an undeclared volume and
    waiting for health without a health check are each refused."""
    raw = compose_file()
    raw["services"]["web"]["comand"] = "typo"
    raw["services"]["worker"]["depends_on"] = {"db": {"condition": "service_started"}}
    raw["services"]["beat"]["volumes"] = ["nowhere:/data"]
    del raw["services"]["redis"]["healthcheck"]
    with pytest.raises(ComposeError) as refused:
        compose_config(ENV, raw)
    for problem in (
        "web: unknown key comand",
        "worker: depends on undefined service db",
        "beat: volume nowhere is not declared",
        "waits for redis to be healthy, no healthcheck",
    ):
        assert problem in str(refused.value)


def test_makefile_offers_the_two_commands():
    makefile = (ROOT / "Makefile").read_text()
    assert "\nrun:" in makefile and "\ntest:" in makefile
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme and "make test" in readme


def test_compose_scales_web_and_workers_on_shared_storage():
    """Issue 20: ``--scale web=2 --scale worker=2`` works (no web container binds a
    host port; the proxy spreads requests over them), files are in the object
    store, migrations are a one-off job (never on web start), and the proxy
    waits for a ready web process (/readyz)."""
    config = compose_config(ENV)
    services = config["services"]
    assert "ports" not in services["web"] and "ports" not in services["worker"]
    assert services["proxy"]["ports"]
    assert "migrate" not in services["web"]["command"]
    assert services["migrate"]["command"] == "python manage.py migrate --noinput"
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["S3_BUCKET"] and env["S3_ENDPOINT_URL"] == "http://objects:9000"
        assert not any("media" in str(v) for v in services[name].get("volumes", []))
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["proxy"]["depends_on"] == {"web": {"condition": "service_healthy"}}
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert "proxy_pass $web" in nginx and "X-Forwarded-For" in nginx
    assert "HEALTHCHECK" in (ROOT / "Dockerfile").read_text()
