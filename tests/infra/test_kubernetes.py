"""infra/k8s, rendered as `kubectl apply -k` renders it, checked for what an operator relies
on. scripts/lint-infra also validates the same output against the Kubernetes schemas
(kubernetes-validate) and policies (checkov)."""

import shutil
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from tests.infra.helpers import INFRA

OVERLAYS = sorted(path.name for path in (INFRA / "k8s" / "overlays").iterdir())
DEPLOYMENTS = ("warmpath-web", "warmpath-worker", "warmpath-worker-scheduled", "warmpath-beat")


def _render(overlay: str) -> list[dict[str, Any]]:
    if shutil.which("kustomize"):
        command = ["kustomize", "build"]
    elif shutil.which("kubectl"):
        command = ["kubectl", "kustomize"]
    else:
        pytest.fail(
            "The overlays cannot be rendered: install kubectl (it carries kustomize) or kustomize."
        )
    out = subprocess.run(
        [*command, str(INFRA / "k8s" / "overlays" / overlay)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [doc for doc in yaml.safe_load_all(out) if doc]


@pytest.fixture(scope="module", params=OVERLAYS)
def objects(request: pytest.FixtureRequest) -> dict[tuple[str, str], dict[str, Any]]:
    return {(o["kind"], o["metadata"]["name"]): o for o in _render(request.param)}


def _containers(deployment: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = deployment["spec"]["template"]["spec"]
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def test_overlays_exist() -> None:
    assert OVERLAYS == ["production", "staging"]


def test_every_role_has_its_deployment(objects: dict[tuple[str, str], Any]) -> None:
    deployments = {name for kind, name in objects if kind == "Deployment"}
    assert deployments == set(DEPLOYMENTS)
    roles = {
        name: objects["Deployment", name]["spec"]["template"]["spec"]["containers"][0]["args"]
        for name in DEPLOYMENTS
    }
    assert roles == {
        "warmpath-web": ["web"],
        "warmpath-worker": ["worker"],
        "warmpath-worker-scheduled": ["worker"],
        "warmpath-beat": ["beat"],
    }


def test_a_service_and_a_wildcard_ingress_reach_the_web(
    objects: dict[tuple[str, str], Any],
) -> None:
    service = objects["Service", "warmpath-web"]
    assert service["spec"]["selector"]["app.kubernetes.io/component"] == "web"
    assert {p["name"]: p["targetPort"] for p in service["spec"]["ports"]}["http"] == "http"
    ingress = objects["Ingress", "warmpath"]["spec"]
    hosts = [rule["host"] for rule in ingress["rules"]]
    assert len(hosts) == 2
    bare, wildcard = hosts
    assert wildcard == f"*.{bare}"
    assert set(ingress["tls"][0]["hosts"]) == {bare, wildcard}
    for rule in ingress["rules"]:
        backend = rule["http"]["paths"][0]["backend"]["service"]
        assert backend == {"name": "warmpath-web", "port": {"name": "http"}}
    config = objects["ConfigMap", "warmpath-config"]["data"]
    assert config["BASE_DOMAIN"] == bare


def test_probes_use_the_health_endpoints_without_a_host_header(
    objects: dict[tuple[str, str], Any],
) -> None:
    web = objects["Deployment", "warmpath-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert web["startupProbe"]["httpGet"]["path"] == "/healthz"
    assert web["readinessProbe"]["httpGet"]["path"] == "/readyz"
    for name in DEPLOYMENTS:
        for container in objects["Deployment", name]["spec"]["template"]["spec"]["containers"]:
            assert "livenessProbe" in container
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                assert "httpHeaders" not in container.get(probe, {}).get("httpGet", {})


def test_every_container_is_locked_down_and_sized(objects: dict[tuple[str, str], Any]) -> None:
    for name in DEPLOYMENTS:
        pod = objects["Deployment", name]["spec"]["template"]["spec"]
        assert pod["automountServiceAccountToken"] is False
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["securityContext"]["runAsUser"] == 10001
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
        volumes = {v["name"]: v for v in pod["volumes"]}
        assert "emptyDir" in volumes["tmp"]
        for container in _containers(objects["Deployment", name]):
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True
            assert security["allowPrivilegeEscalation"] is False
            assert security["capabilities"] == {"drop": ["ALL"]}
            assert {"name": "tmp", "mountPath": "/tmp"} in container["volumeMounts"]
            assert container["resources"]["requests"]["cpu"]
            assert container["resources"]["requests"]["memory"]
            assert container["resources"]["limits"]["memory"]
            image = container["image"]
            assert not image.endswith(":latest")
            assert ":" in image or "@sha256:" in image


def test_migrations_run_first_in_every_pod(objects: dict[tuple[str, str], Any]) -> None:
    for name in DEPLOYMENTS:
        pod = objects["Deployment", name]["spec"]["template"]["spec"]
        assert [c["args"] for c in pod["initContainers"]] == [["migrate"]]
        assert pod["initContainers"][0]["image"] == pod["containers"][0]["image"]
    assert not any(kind == "Job" for kind, _ in objects)  # nothing to re-apply or clean up


def test_beat_is_a_single_recreated_pod(objects: dict[tuple[str, str], Any]) -> None:
    beat = objects["Deployment", "warmpath-beat"]["spec"]
    assert beat["replicas"] == 1
    assert beat["strategy"] == {"type": "Recreate"}
    assert not any(
        kind in ("HorizontalPodAutoscaler", "PodDisruptionBudget") and "beat" in name
        for kind, name in objects
    )


def test_web_and_worker_scale_and_survive_disruptions(
    objects: dict[tuple[str, str], Any],
) -> None:
    for name in ("warmpath-web", "warmpath-worker"):
        hpa = objects["HorizontalPodAutoscaler", name]["spec"]
        assert hpa["scaleTargetRef"] == {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "name": name,
        }
        assert 1 <= hpa["minReplicas"] < hpa["maxReplicas"]
        assert "replicas" not in objects["Deployment", name]["spec"]  # the HPA owns the count
        pdb = objects["PodDisruptionBudget", name]["spec"]
        assert pdb["maxUnavailable"] == 1


def test_worker_concurrency_and_queues_come_from_settings(
    objects: dict[tuple[str, str], Any],
) -> None:
    config = objects["ConfigMap", "warmpath-config"]["data"]
    assert int(config["WORKER_CONCURRENCY"]) >= 1
    assert int(config["TENANT_MULTIPROCESSING_MAX_PROCESSES"]) >= 1
    queues = {}
    for name in ("warmpath-worker", "warmpath-worker-scheduled"):
        container = objects["Deployment", name]["spec"]["template"]["spec"]["containers"][0]
        assert {"configMapRef": {"name": "warmpath-config"}} in container["envFrom"]
        queues[name] = {e["name"]: e["value"] for e in container["env"]}["WORKER_QUEUES"]
    assert queues == {"warmpath-worker": "interactive", "warmpath-worker-scheduled": "scheduled"}


def test_base_files_are_plain_yaml() -> None:
    for path in (INFRA / "k8s").rglob("*.yaml"):
        assert list(yaml.safe_load_all(path.read_text())), path
