"""A schema fuzz run: schemathesis makes requests from /openapi.json, valid and invalid ones, for
every operation, sends them to the app over a real store (SQLite and PostgreSQL), and checks
that none gets a server error, that invalid ones are refused, and that every answer has a
documented status code, content type and shape.

(Schemathesis' own pytest plugin does not run under pytest 9 and slows hypothesis down, so it
is disabled in pyproject.toml and the run is driven here: one hypothesis strategy per
operation, derandomized so that CI sends the same requests each time;
THUCYDIDES_FUZZ_EXAMPLES=500 makes a longer run.)
"""
from __future__ import annotations

import os

import pytest
import schemathesis
import web_data
from conftest import DatabaseFactory
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.config import SchemathesisConfig

from thucydides.web import create_app

EXAMPLES = int(os.environ.get("THUCYDIDES_FUZZ_EXAMPLES", "50"))
NO_INPUT = {"GET /api/health", "GET /api/stats"}  # nothing to make invalid


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def api_schema(request, tmp_path_factory):
    factory = DatabaseFactory(request.param, tmp_path_factory.mktemp("fuzz"))
    url = factory()
    web_data.fill(url)
    app = create_app(url)
    # a body over the size limit is refused with 413 Content Too Large: a rejection too
    config = SchemathesisConfig.from_dict({"checks": {"negative_data_rejection": {
        "expected-statuses": [400, 404, 413, 422]}}})
    yield schemathesis.openapi.from_asgi("/openapi.json", app, config=config)
    app.state.pool.close()
    factory.cleanup()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_generated_requests_get_no_server_error_and_documented_answers(api_schema, mode):
    failures, operations = [], 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            case.call_and_validate()

        try:
            run()
        except Unsatisfiable:
            if mode is GenerationMode.POSITIVE or operation.label not in NO_INPUT:
                failures.append(f"{operation.label}: no request could be made")
        except Exception as exc:  # noqa: BLE001 - gather every operation's failure, then report them all
            failures.append(f"{operation.label}: {exc}")
    assert operations >= 9
    assert not failures, "\n\n".join(failures)
