"""The deployments prefect.yaml declares, read for `mobwatch serve`.

prefect.yaml is the one list of what runs when: `prefect deploy --all` registers it for a
work pool's workers, and `mobwatch serve` builds the same deployments from it, so the two
never drift. Only what serving needs is read here (name, entrypoint, description,
parameters, tags, cron schedules, concurrency limit); the work pool and pull steps are for
workers.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from prefect import Flow
from prefect.client.schemas.objects import ConcurrencyLimitConfig
from prefect.schedules import Cron, Schedule
from pydantic import ValidationError

from mobwatch.pipeline.settings import ConfigurationError

# The project's prefect.yaml: a link to it in a checkout, a copy in an installed package.
PREFECT_YAML = (Path(__file__).parent / "prefect.yaml").resolve()


@dataclass(frozen=True)
class DeploymentSpec:
    name: str
    entrypoint: str  # flows/<module>.py:<flow>, from the repository root
    description: str | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    schedules: list[dict[str, Any]] = field(default_factory=list)  # as written in the file
    concurrency_limit: Any = None  # as written: a number, or {limit, collision_strategy}

    def load_flow(self) -> Flow[..., Any]:
        """The flow, imported as a module of the installed `mobwatch` package: the file
        `flows/monitor.py` is the module `mobwatch.flows.monitor`, whatever the directory."""
        path, _, attribute = self.entrypoint.partition(":")
        module = PurePosixPath(path)
        if module.suffix != ".py" or not attribute or module.is_absolute():
            raise ConfigurationError(
                f"deployment {self.name}: entrypoint must be <path>.py:<flow>, "
                f"got {self.entrypoint!r}"
            )
        try:
            found = getattr(
                importlib.import_module(".".join(("mobwatch", *module.with_suffix("").parts))),
                attribute,
            )
        except (ImportError, AttributeError) as error:
            raise ConfigurationError(
                f"deployment {self.name}: cannot load {self.entrypoint}: {error}"
            ) from error
        if not isinstance(found, Flow):
            raise ConfigurationError(f"deployment {self.name}: {self.entrypoint} is not a flow")
        return found

    def concurrency(self) -> ConcurrencyLimitConfig | None:
        """The deployment's concurrency limit as Prefect's, or None for no limit."""
        value = self.concurrency_limit
        if value is None:
            return None
        try:
            if isinstance(value, int) and not isinstance(value, bool):
                return ConcurrencyLimitConfig(limit=value)
            if isinstance(value, dict):
                return ConcurrencyLimitConfig(**value)
        except ValidationError as error:
            raise ConfigurationError(
                f"deployment {self.name}: concurrency_limit {value!r}: {error}"
            ) from error
        raise ConfigurationError(
            f"deployment {self.name}: concurrency_limit must be a number or a table, got {value!r}"
        )

    def cron_schedules(self) -> list[Schedule]:
        """The schedules as Prefect's; serving reads cron ones (with `timezone` and the other
        options `prefect.schedules.Cron` takes) and refuses any other kind, loudly."""
        schedules = []
        for entry in self.schedules:
            options = dict(entry)
            cron = options.pop("cron", None)
            if not isinstance(cron, str):
                raise ConfigurationError(
                    f"deployment {self.name}: `mobwatch serve` reads cron schedules only, "
                    f"got {entry!r}"
                )
            try:
                schedules.append(Cron(cron, **options))
            except TypeError as error:
                raise ConfigurationError(
                    f"deployment {self.name}: schedule {entry!r}: {error}"
                ) from error
        return schedules


def read_deployments(path: Path = PREFECT_YAML) -> list[DeploymentSpec]:
    try:
        document = yaml.safe_load(path.read_text("utf-8"))
    except FileNotFoundError as error:
        raise ConfigurationError(
            f"{path} not found: `mobwatch serve` runs from a clone of the repository"
        ) from error
    except yaml.YAMLError as error:
        raise ConfigurationError(f"{path}: not valid YAML: {error}") from error
    entries = document.get("deployments") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigurationError(f"{path}: no deployments")
    specs = []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("name") or not entry.get("entrypoint"):
            raise ConfigurationError(f"{path}: deployment #{index} needs a name and entrypoint")
        specs.append(
            DeploymentSpec(
                name=entry["name"],
                entrypoint=entry["entrypoint"],
                description=entry.get("description"),
                parameters=dict(entry.get("parameters") or {}),
                tags=list(entry.get("tags") or []),
                schedules=list(entry.get("schedules") or []),
                concurrency_limit=entry.get("concurrency_limit"),
            )
        )
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ConfigurationError(f"{path}: duplicate deployment names: {', '.join(duplicates)}")
    return specs
