#!/usr/bin/env python3
"""The crate's public API as a sorted list of item paths, from rustdoc's JSON output.

    python3 scripts/public_api.py > api/public-api.txt     # record a deliberate change
    python3 scripts/public_api.py | diff api/public-api.txt -   # what CI runs

Rustdoc's JSON output is still unstable in rustc, so this one command asks for it with
RUSTC_BOOTSTRAP=1 (as cargo-semver-checks and cargo-public-api do); nothing is built with it.
Lists modules, types, traits, functions, constants, enum variants, struct fields, and the
methods and associated items of inherent impls and of the crate's own traits, each with its kind.
Trait impls of foreign traits (Debug, Clone, From, ...) are listed as `impl Trait for Type`.
"""
import json, os, subprocess, sys, tempfile

def rustdoc_json(features):
    target = os.path.join(tempfile.gettempdir(), "ntk-public-api")
    env = dict(os.environ, RUSTC_BOOTSTRAP="1")
    cmd = ["cargo", "rustdoc", "--lib", "-q", "--target-dir", target]
    if features:
        cmd += ["--features", features]
    cmd += ["--", "-Zunstable-options", "--output-format", "json"]
    subprocess.run(cmd, check=True, env=env)
    with open(os.path.join(target, "doc", "ntk.json")) as f:
        return json.load(f)

def type_name(t):
    if not isinstance(t, dict):
        return "?"
    if "resolved_path" in t:
        return t["resolved_path"]["path"].split("::")[-1]
    if "generic" in t:
        return t["generic"]
    if "primitive" in t:
        return t["primitive"]
    if "borrowed_ref" in t:
        return "&" + type_name(t["borrowed_ref"]["type"])
    if "slice" in t:
        return "[" + type_name(t["slice"]) + "]"
    if "array" in t:
        return "[" + type_name(t["array"]["type"]) + "; N]"
    return "?"

def main():
    d = rustdoc_json(sys.argv[1] if len(sys.argv) > 1 else "std")
    idx = d["index"]
    out = set()

    def kind(item):
        return next(iter(item["inner"]))

    def walk(mid, path, seen):
        if mid in seen:
            return
        seen.add(mid)
        item = idx[str(mid)]
        for child in item["inner"]["module"]["items"]:
            c = idx.get(str(child))
            if c is None or c["visibility"] != "public":
                continue
            k = kind(c)
            if k == "use":
                u = c["inner"]["use"]
                target = idx.get(str(u["id"])) if u.get("id") is not None else None
                name = u["name"]
                if target is None:
                    out.add(f"{path}::{name} (re-export of {u['source']})")
                    continue
                if u.get("is_glob"):
                    continue
                describe(target, f"{path}::{name}", seen)
            else:
                describe(c, f"{path}::{c['name']}", seen)

    def describe(item, p, seen):
        k = kind(item)
        if k == "module":
            out.add(f"mod {p}")
            walk(item["id"], p, seen)
            return
        out.add(f"{k} {p}")
        inner = item["inner"][k]
        if k == "enum":
            for v in inner["variants"]:
                out.add(f"variant {p}::{idx[str(v)]['name']}")
        if k == "struct":
            kind_s = inner.get("kind", {})
            fields = []
            if isinstance(kind_s, dict):
                fields = kind_s.get("plain", {}).get("fields", []) or kind_s.get("tuple", []) or []
            for fid in fields:
                if fid is None:
                    continue
                f = idx.get(str(fid))
                if f and f["visibility"] == "public":
                    out.add(f"field {p}::{f['name']}")
        if k == "trait":
            for m in inner["items"]:
                out.add(f"trait-item {p}::{idx[str(m)]['name']}")
        for iid in inner.get("impls", []) if isinstance(inner, dict) else []:
            imp = idx[str(iid)]["inner"]["impl"]
            if imp.get("is_synthetic") or imp.get("blanket_impl") is not None:
                continue
            tr = imp.get("trait")
            if tr is None:
                for m in imp["items"]:
                    mi = idx[str(m)]
                    if mi["visibility"] == "public":
                        out.add(f"{kind(mi)} {p}::{mi['name']}")
            else:
                out.add(f"impl {tr['path'].split('::')[-1]} for {p}")

    walk(d["root"], "ntk", set())
    for line in sorted(out):
        print(line)

if __name__ == "__main__":
    main()
