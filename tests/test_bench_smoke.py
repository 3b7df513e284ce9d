"""Small smoke run of the load benchmark: the real `search serve` under concurrent clients.

The full run (20 clients, 60 s, the 100,000-article index) stays out of the test suite; this one
proves the harness works and that a few seconds of mixed concurrent traffic gives zero errors.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_load_smoke_serves_concurrent_clients_without_errors():
    run = subprocess.run([sys.executable, "bench/load.py", "--smoke", "--json"], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["errors"] == 0, result["error_examples"]
    assert result["clients"] == 4
    assert result["requests"] > 20  # 4 keep-alive clients for 3 s on the seeds
    assert 0 < result["p50_ms"] <= result["p99_ms"] <= result["max_ms"]
    assert result["server_peak_rss_mb"] > 0
