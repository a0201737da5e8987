"""The junk check must not flag npm's own config inside the node images, and must still flag context junk."""

from dockgen import imagecheck as ic


def _m(path: str) -> ic.Member:
    return ic.Member(layer=0, path=path, size=1, is_dir=False)


def test_npm_builtin_npmrc_is_package_data():
    members = [_m("usr/local/lib/node_modules/npm/.npmrc"), _m("app/node_modules/express/index.js")]
    assert ic.find_junk(members, [".npmrc", ".env"]) == []


def test_context_junk_is_still_found():
    members = [_m("app/.npmrc"), _m("app/.env"), _m("app/server.js")]
    assert ic.find_junk(members, [".npmrc", ".env"]) == ["app/.env", "app/.npmrc"]
