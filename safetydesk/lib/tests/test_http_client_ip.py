from django.test import RequestFactory, SimpleTestCase, override_settings

from safetydesk.lib.http import client_ip


class ClientIpTests(SimpleTestCase):
    def request(self, remote: str = "203.0.113.9", forwarded: str | None = None):  # type: ignore[no-untyped-def]
        extra = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            extra["HTTP_X_FORWARDED_FOR"] = forwarded
        return RequestFactory().get("/", **extra)

    def test_it_uses_the_peer_address_without_proxies(self) -> None:
        assert client_ip(self.request(forwarded="198.51.100.1")) == "203.0.113.9"

    @override_settings(TRUSTED_PROXY_HOPS=1)
    def test_it_takes_the_address_our_proxy_saw_and_ignores_what_the_client_wrote(self) -> None:
        assert client_ip(self.request(remote="10.0.0.2", forwarded="6.6.6.6, 198.51.100.7")) == "198.51.100.7"

    @override_settings(TRUSTED_PROXY_HOPS=2)
    def test_it_counts_hops_from_the_right(self) -> None:
        assert client_ip(self.request(forwarded="6.6.6.6, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"

    @override_settings(TRUSTED_PROXY_HOPS=1)
    def test_it_gives_none_when_the_header_is_missing_or_garbage(self) -> None:
        assert client_ip(self.request(forwarded="")) is None
        assert client_ip(self.request(forwarded="not-an-ip")) is None

    def test_it_normalises_ipv6(self) -> None:
        assert client_ip(self.request(remote="2001:DB8:0:0::1")) == "2001:db8::1"
