"""The service worker precaches every module the app can load, so the app works offline after the
first visit (a module missing from sw.js would break an offline reload)."""
import re

from bench.pwa_size import WEB, module_graph


def test_every_module_is_in_the_service_worker_shell():
    shell = set(re.findall(r'"(/[^"]*)"', re.search(r"const SHELL = \[(.*?)\];", (WEB / "sw.js").read_text(), re.S).group(1)))
    first_load, later = module_graph()
    assert {"/" + name for name in first_load + later} - shell == set()
    assert {"/", "/index.html", "/app.css", "/manifest.webmanifest"} <= shell
    assert all((WEB / name.lstrip("/")).is_file() for name in shell - {"/"})
