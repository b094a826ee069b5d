#!/usr/bin/env python3
"""The crate's public API as a sorted list of signatures, read from `cargo doc`'s HTML (stable Rust).

    python3 scripts/public_api.py > tests/public-api.txt          # record a deliberate change
    python3 scripts/public_api.py | diff -u tests/public-api.txt -  # what CI runs

Lists every module, item (with its declaration), enum variant, struct field, inherent method and
associated item, trait item, and trait implementation (`impl Trait for Type`) of the documentation
built with all features, so that any change to the public surface shows as a diff.
"""
import html, os, re, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.path.join(ROOT, "target", "public-api")
KINDS = {"struct", "enum", "trait", "fn", "type", "constant", "macro", "static", "union"}


def text(fragment):
    """Tag-free, whitespace-collapsed text of an HTML fragment."""
    s = re.sub(r"<[^>]+>", "", fragment)
    return re.sub(r"\s+", " ", html.unescape(s)).strip()


def section(page, start_id, end_ids):
    i = page.find(f'id="{start_id}"')
    if i < 0:
        return ""
    ends = [page.find(f'id="{e}"', i) for e in end_ids]
    ends = [e for e in ends if e > 0]
    return page[i : min(ends) if ends else len(page)]


def headers(fragment, prefixes):
    """`<section id="method.x" ...><h4 class="code-header">sig</h4>` for the given id prefixes."""
    out = []
    for m in re.finditer(r'<section id="((?:%s)\.[^"]+)"[^>]*>(.*?)</h4>' % "|".join(prefixes), fragment, re.S):
        h = re.search(r'<h4 class="code-header">(.*)', m.group(2), re.S)
        out.append(text(h.group(1)) if h else m.group(1))
    return out


def item_lines(path, kind, page):
    lines = []
    decl = re.search(r'<pre class="rust item-decl"><code>(.*?)</code></pre>', page, re.S)
    sig = text(decl.group(1)) if decl else ""
    if kind in ("struct", "enum", "trait", "union"):
        sig = re.sub(r"\{.*", "", sig).strip()  # fields/variants/items are listed one per line below
    lines.append(f"{kind} {path}: {sig}" if sig else f"{kind} {path}")
    for m in re.finditer(r'id="(variant|structfield)\.([^"]+)"', page):
        lines.append(f"{path}::{m.group(2)} ({m.group(1)})")
    if kind == "trait":
        ends = [i for i in (page.find('id="foreign-impls"'), page.find('id="implementors"')) if i > 0]
        body = page[: min(ends)] if ends else page
        for sig in headers(body, ["tymethod", "method", "associatedtype", "associatedconstant"]):
            lines.append(f"{path} trait item: {sig}")
    inherent = section(page, "implementations-list", ["trait-implementations", "synthetic-implementations", "blanket-implementations"])
    for sig in headers(inherent, ["method", "associatedconstant", "associatedtype"]):
        lines.append(f"{path} :: {sig}")
    traits = section(page, "trait-implementations-list", ["synthetic-implementations", "blanket-implementations"])
    for m in re.finditer(r'<section id="impl-[^"]*"[^>]*>.*?<h3 class="code-header">(.*?)</h3>', traits, re.S):
        lines.append(f"{path}: {text(m.group(1))}")
    return lines


def main():
    subprocess.run(["cargo", "doc", "--no-deps", "--all-features", "-q", "--target-dir", TARGET], cwd=ROOT, check=True)
    doc = os.path.join(TARGET, "doc", "ntk")
    lines = []
    for dirpath, _, files in os.walk(doc):
        rel = os.path.relpath(dirpath, doc)
        module = "ntk" if rel == "." else "ntk::" + rel.replace(os.sep, "::")
        if "index.html" in files:
            lines.append(f"mod {module}")
            with open(os.path.join(dirpath, "index.html"), encoding="utf-8") as fh:
                for m in re.finditer(r'<dt id="reexport[^"]*"><code>(.*?)</code>', fh.read(), re.S):
                    lines.append(f"{module}: {text(m.group(1))}")
        for f in files:
            m = re.fullmatch(r"(\w+)\.(\w+)\.html", f)
            if not m or m.group(1) not in KINDS:
                continue
            with open(os.path.join(dirpath, f), encoding="utf-8") as fh:
                page = fh.read()
            lines += item_lines(f"{module}::{m.group(2)}", m.group(1), page)
    sys.stdout.write("".join(sorted(set(l + "\n" for l in lines))))


if __name__ == "__main__":
    main()
