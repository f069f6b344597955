import sys

SECONDS = {"fuzz": 0.0}


def pytest_runtest_logreport(report):
    if "test_api_fuzz.py" in report.nodeid:
        SECONDS["fuzz"] += report.duration


def pytest_terminal_summary(terminalreporter):
    fuzz = sys.modules.get("samverkan.config.tests.test_api_fuzz")
    if fuzz and fuzz.CALLS:
        terminalreporter.section("schemathesis")
        terminalreporter.write_line(
            f"{len(fuzz.CALLS)} operations, {sum(fuzz.CALLS.values())} generated calls "
            f"(at most {max(fuzz.CALLS.values())} per operation) in {SECONDS['fuzz']:.1f}s"
        )
