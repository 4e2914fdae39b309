"""One User-Agent by default, a browser's for the hosts sources.toml names (docs/sources.md §7)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mobwatch.demo.server import LoopbackServer
from mobwatch.fetching.client import USER_AGENT, HttpClient
from mobwatch.fetching.user_agents import UserAgents
from mobwatch.pipeline.settings import ConfigurationError, load_http_settings

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0"


def test_a_host_and_its_subdomains_take_the_override_and_no_other_host_does() -> None:
    agents = UserAgents(USER_AGENT, {"kremlin.ru": BROWSER, "t.me": "Telegram-reader"})
    assert agents.for_host("kremlin.ru") == BROWSER
    assert agents.for_host("WWW.Kremlin.RU.") == BROWSER
    assert agents.for_host("t.me") == "Telegram-reader"
    assert agents.for_host("notkremlin.ru") == USER_AGENT
    assert agents.for_host("kremlin.ru.example.org") == USER_AGENT
    assert agents.for_host("publication.pravo.gov.ru") == USER_AGENT


def test_an_address_matches_only_itself() -> None:
    agents = UserAgents(USER_AGENT, {"0.1": BROWSER, "127.0.0.2": BROWSER})
    assert agents.for_host("127.0.0.1") == USER_AGENT
    assert agents.for_host("127.0.0.2") == BROWSER


@pytest.mark.parametrize(
    "overrides",
    [{"https://t.me": BROWSER}, {"t.me:443": BROWSER}, {" ": BROWSER}, {"t.me": "a\r\nX-Evil: 1"}],
)
def test_what_is_not_a_host_or_a_user_agent_is_refused(overrides: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="not a"):
        UserAgents(USER_AGENT, overrides)


def test_requests_carry_the_user_agent_of_the_host_they_go_to() -> None:
    with LoopbackServer() as server, HttpClient(user_agents={"localhost": BROWSER}) as client:
        server.add("/feed", b"x")
        port = server.url.rsplit(":", 1)[1]
        client.get(f"http://localhost:{port}/feed")
        client.get(f"http://127.0.0.1:{port}/feed")
    sent = [request.headers["user-agent"] for request in server.requests]
    assert sent == [BROWSER, USER_AGENT]


def test_the_sources_file_names_the_hosts_and_their_user_agents(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(f'[http]\nretries = 1\n\n[http.user_agents]\n"t.me" = "{BROWSER}"\n')
    assert load_http_settings(path) == {"retries": 1, "user_agents": {"t.me": BROWSER}}
    path.write_text('[http.user_agents]\n"t.me" = 3\n')
    with pytest.raises(ConfigurationError, match=r"\[http.user_agents\] must map host names"):
        load_http_settings(path)
    path.write_text(f'[http.user_agents]\n"https://t.me/s" = "{BROWSER}"\n')
    with pytest.raises(ConfigurationError, match="not a host name"):
        load_http_settings(path)
