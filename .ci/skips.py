#!/usr/bin/env python3
"""Lists every test that was skipped, with its reason, from the Surefire reports of the build, and exits
1 when one was skipped for a reason other than the user the build runs as (a test that needs a
non-root user skips as root, and the other way round): on CI every tool a test needs is installed."""
import glob
import sys
import xml.etree.ElementTree as ET

# What a skip may say and still be expected: the test needs a user this machine's build does not run as.
ALLOWED = ("running as root", "only a root server")

skipped = []
for report in sorted(glob.glob("**/target/surefire-reports/TEST-*.xml", recursive=True)):
    for case in ET.parse(report).getroot().iter("testcase"):
        s = case.find("skipped")
        if s is not None:
            module = report.split("/target/")[0]
            reason = (s.get("message") or (s.text or "").strip().splitlines()[0:1] or [""])
            reason = (reason if isinstance(reason, str) else reason[0]).strip() or "(no reason given)"
            reason = reason.replace("org.opentest4j.TestAbortedException: ", "").replace("Assumption failed: ", "")
            skipped.append((module, case.get("classname", "?") + "." + case.get("name", "?"), reason))

bad = [s for s in skipped if not any(a in s[2] for a in ALLOWED)]
print("Skipped tests: %d (%d for the user the build runs as)" % (len(skipped), len(skipped) - len(bad)))
for module, test, reason in skipped:
    print("  %s %s: %s%s" % ("OK " if (module, test, reason) not in bad else "BAD", module + " " + test, reason,
                             "" if (module, test, reason) not in bad else "  <- should have run here"))
sys.exit(1 if bad else 0)
