"""JUnit XML: one test case per file checked, failing when the file has an error."""

from __future__ import annotations

from xml.etree import ElementTree

from msgflash_lint.diagnostics import Severity


def render(result) -> str:
    by_path: dict[str, list] = {path: [] for path in result.checked}
    for d in result.diagnostics:
        by_path.setdefault(d.path, []).append(d)
    failures = sum(any(d.severity is Severity.ERROR for d in found) for found in by_path.values())
    suites = ElementTree.Element("testsuites", name="msgflash-lint", tests=str(len(by_path)),
                                failures=str(failures), errors="0")
    suite = ElementTree.SubElement(suites, "testsuite", name="msgflash-lint", tests=str(len(by_path)),
                                   failures=str(failures), errors="0", skipped="0")
    for path, found in by_path.items():
        case = ElementTree.SubElement(suite, "testcase", classname="msgflash-lint", name=path)
        errors = [d for d in found if d.severity is Severity.ERROR]
        lines = "\n".join(f"{d.path}:{d.line}:{d.column}: {d.code} {d.message}" for d in found)
        if errors:
            failure = ElementTree.SubElement(
                case, "failure", type=errors[0].code,
                message=f"{len(errors)} error{'s' if len(errors) != 1 else ''}: {errors[0].code} {errors[0].message}")
            failure.text = lines
        elif found:
            ElementTree.SubElement(case, "system-out").text = lines
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"
