#!/usr/bin/env python3
"""Validates a report statewise wrote against its schema.

    validate.py sarif FILE    SARIF 2.1.0, the official OASIS JSON schema
    validate.py junit FILE    JUnit XML, the Jenkins xUnit junit-10.xsd
    validate.py gitlab FILE   GitLab Code Quality JSON
    validate.py json FILE     statewise's own check JSON (docs/schemas)
    validate.py baseline FILE a baseline file (docs/schemas)

Prints nothing and exits 0 when the file is valid; prints every error and
exits 1 when it is not. Needs the `jsonschema` and `xmlschema` packages
(.ci/run installs them in a virtual environment).
"""
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def json_errors(schema_path, doc_path, draft):
    import jsonschema

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    doc = json.loads(pathlib.Path(doc_path).read_text(encoding="utf-8"))
    validator = draft(schema, format_checker=draft.FORMAT_CHECKER)
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '$'}: {e.message}"
        for e in validator.iter_errors(doc)
    ]


def main():
    kind, path = sys.argv[1], sys.argv[2]
    import jsonschema

    if kind == "sarif":
        errors = json_errors(HERE / "sarif-schema-2.1.0.json", path, jsonschema.Draft4Validator)
    elif kind == "gitlab":
        errors = json_errors(HERE / "gitlab-code-quality.schema.json", path, jsonschema.Draft202012Validator)
    elif kind == "json":
        errors = json_errors(ROOT / "docs/schemas/check.schema.json", path, jsonschema.Draft202012Validator)
    elif kind == "baseline":
        errors = json_errors(ROOT / "docs/schemas/baseline.schema.json", path, jsonschema.Draft202012Validator)
    elif kind == "junit":
        import xmlschema

        schema = xmlschema.XMLSchema(str(HERE / "junit-10.xsd"))
        errors = [str(e) for e in schema.iter_errors(path)]
    else:
        sys.exit(f"unknown kind {kind!r}")
    for e in errors:
        print(e)
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
