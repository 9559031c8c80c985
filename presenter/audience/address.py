"""Which address the room reaches this computer on.

Sharing binds one address, the one shown in the URL, rather than every interface: the page
is then reachable exactly where the speaker said it is. The choice: an address the settings
name (``audience.address``: an IP or an interface name), else the first IPv4 address of an
interface that is up and looks like the room's network (not loopback, link-local, or a
container or VM bridge), private ranges first. Rehearsal uses 127.0.0.1 instead.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import psutil

LOOPBACK = "127.0.0.1"
# Bridges that containers and virtual machines make: the room cannot reach those.
_VIRTUAL_PREFIXES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "lxc", "lxd",
                     "podman", "cni", "flannel", "kube", "zt", "tailscale", "utun", "ifb")


@dataclass(frozen=True)
class Candidate:
    """An address the page could be served on, and the interface it belongs to."""

    address: str
    interface: str


def lan_candidates() -> list[Candidate]:
    """Usable IPv4 addresses, best first."""
    try:
        addresses = psutil.net_if_addrs()
        stats = psutil.net_if_stats()
    except (OSError, RuntimeError):
        return []
    found: list[tuple[tuple, Candidate]] = []
    for order, (name, entries) in enumerate(addresses.items()):
        state = stats.get(name)
        if state is not None and not state.isup:
            continue
        for entry in entries:
            if entry.family.name != "AF_INET":
                continue
            try:
                ip = ipaddress.ip_address(entry.address)
            except ValueError:
                continue
            if ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified:
                continue
            virtual = name.lower().startswith(_VIRTUAL_PREFIXES)
            found.append(((virtual, not ip.is_private, order), Candidate(entry.address, name)))
    return [candidate for _key, candidate in sorted(found, key=lambda item: item[0])]


def choose_address(wanted: str = "", loopback: bool = False) -> Candidate | None:
    """The address to serve on; None when there is no network (only loopback would work)."""
    if loopback:
        return Candidate(LOOPBACK, "this computer only")
    candidates = lan_candidates()
    if wanted:
        for candidate in candidates:
            if wanted in (candidate.address, candidate.interface):
                return candidate
        try:
            ipaddress.ip_address(wanted)
        except ValueError:
            pass
        else:
            return Candidate(wanted, "as set in the settings")
    return candidates[0] if candidates else None
