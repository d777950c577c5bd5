#!/usr/bin/python3
"""render_check.py: independent checks of `rooster` output files (run by Debian's /usr/bin/python3).

    render_check.py csv FILE EXPECTED_ROWS   RFC 4180 CSV: header + EXPECTED_ROWS data rows
    render_check.py ics FILE                 RFC 5545: parses with icalendar, checks every VEVENT
    render_check.py html FILE                well-formed nesting, summary table, grid, no externals

Exit 0 when the file passes, 1 with a message per problem on stderr, 2 on usage errors.
"""
import csv
import datetime
import html.parser
import io
import sys

CSV_HEADER = ["group", "route", "level", "day", "dagdeel", "start", "end", "location", "room",
              "teacher", "size", "learners"]
CSV_HEADER_LEARNER = ["learner", "group", "route", "level", "day", "dagdeel", "start", "end",
                      "location", "room", "teacher", "size"]
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def check_csv(path, expected_rows):
    errors = []
    raw = open(path, "rb").read().decode("utf-8")
    rows = list(csv.reader(io.StringIO(raw, newline=""), strict=True))
    if not rows:
        return ["csv: empty file"]
    header, data = rows[0], rows[1:]
    if header not in (CSV_HEADER, CSV_HEADER_LEARNER):
        errors.append(f"csv: unexpected header {header}")
    if len(data) != expected_rows:
        errors.append(f"csv: {len(data)} data rows, expected {expected_rows}")
    if raw and not raw.endswith("\r\n"):
        errors.append("csv: last line does not end in CRLF")
    col = {name: i for i, name in enumerate(header)}
    for n, row in enumerate(data, start=2):
        if len(row) != len(header):
            errors.append(f"csv line {n}: {len(row)} fields, header has {len(header)}")
            continue
        if "day" in col and row[col["day"]] not in DAYS:
            errors.append(f"csv line {n}: day {row[col['day']]!r} is not mon..sun")
        if "size" in col and not row[col["size"]].isdigit():
            errors.append(f"csv line {n}: size {row[col['size']]!r} is not a count")
        for c in ("start", "end"):
            if c in col:
                if c == "end" and row[col[c]] == "24:00":
                    continue  # midnight: a dagdeel may end there
                try:
                    datetime.datetime.strptime(row[col[c]], "%H:%M")
                except ValueError:
                    errors.append(f"csv line {n}: {c} {row[col[c]]!r} is not HH:MM")
    return errors


def _dates(prop):
    """All datetimes of an EXDATE property (one or a list, each with .dts)."""
    props = prop if isinstance(prop, list) else [prop]
    return [d.dt for p in props for d in p.dts]


def check_ics(path):
    import icalendar

    errors = []
    try:
        cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        return [f"ics: does not parse: {e}"]
    if cal.name != "VCALENDAR":
        errors.append("ics: top component is not VCALENDAR")
    for p in ("PRODID", "VERSION"):
        if p not in cal:
            errors.append(f"ics: VCALENDAR lacks {p}")
    tzids = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    events = cal.walk("VEVENT")
    if not events:
        errors.append("ics: no VEVENT")
    uids = set()
    for ev in events:
        uid = str(ev.get("UID", ""))
        where = f"ics VEVENT {uid or '?'}"
        for p in ("UID", "DTSTAMP", "DTSTART", "DTEND", "RRULE", "SUMMARY"):
            if p not in ev:
                errors.append(f"{where}: lacks {p}")
        if uid in uids:
            errors.append(f"{where}: UID not unique")
        uids.add(uid)
        if "DTSTART" not in ev or "RRULE" not in ev:
            continue
        start = ev["DTSTART"].dt
        tzid = ev["DTSTART"].params.get("TZID")
        if tzid and tzid not in tzids:
            errors.append(f"{where}: TZID {tzid} has no VTIMEZONE")
        if "DTEND" in ev and ev["DTEND"].dt <= start:
            errors.append(f"{where}: DTEND not after DTSTART")
        rrule = ev["RRULE"]
        if rrule.get("FREQ") != ["WEEKLY"]:
            errors.append(f"{where}: RRULE is not weekly: {rrule.to_ical()!r}")
        until = rrule.get("UNTIL")
        if until and until[0] < start:
            errors.append(f"{where}: RRULE UNTIL before DTSTART")
        if "EXDATE" in ev:
            for d in _dates(ev["EXDATE"]):
                if d.weekday() != start.weekday():
                    errors.append(f"{where}: EXDATE {d} is a {d:%A}, the event is on {start:%A}")
                if d < start or (until and d > until[0]):
                    errors.append(f"{where}: EXDATE {d} outside the recurrence")
                if (d.hour, d.minute) != (start.hour, start.minute):
                    errors.append(f"{where}: EXDATE {d} not at the start time {start:%H:%M}")
    return errors


class _Html(html.parser.HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.tags, self.classes = [], [], {}, {}
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        a = dict(attrs)
        for c in (a.get("class") or "").split():
            self.classes[c] = self.classes.get(c, 0) + 1
        for attr in ("src", "href"):
            v = a.get(attr) or ""
            if v and not v.startswith("#") and not v.startswith("data:"):
                self.errors.append(f"html: external asset <{tag} {attr}={v!r}>")
        if tag == "script":
            self.errors.append("html: contains a script")
        if tag not in self.VOID:
            self.stack.append((tag, self.getpos()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack:
            self.errors.append(f"html: </{tag}> at line {self.getpos()[0]} closes nothing")
            return
        top, pos = self.stack.pop()
        if top != tag:
            self.errors.append(f"html: </{tag}> at line {self.getpos()[0]} closes <{top}> of line {pos[0]}")

    def handle_data(self, data):
        self.text.append(data)


def check_html(path):
    src = open(path, encoding="utf-8").read()
    p = _Html()
    p.feed(src)
    p.close()
    errors = list(p.errors)
    if not src.lstrip().lower().startswith("<!doctype html>"):
        errors.append("html: no <!DOCTYPE html>")
    for tag, pos in p.stack:
        errors.append(f"html: <{tag}> of line {pos[0]} is never closed")
    for tag in ("html", "head", "body", "title", "style", "main", "header"):
        if not p.tags.get(tag):
            errors.append(f"html: no <{tag}>")
    for tag in ("html", "head", "body", "main"):
        if p.tags.get(tag, 0) > 1:
            errors.append(f"html: {p.tags[tag]} <{tag}> elements")
    if not p.classes.get("summary"):
        errors.append("html: no summary table (table.summary)")
    text = " ".join(p.text)
    for word in ("Status", "Objective", "Bound", "Gap", "Time", "Check"):
        if word not in text:
            errors.append(f"html: summary lacks {word!r}")
    if not p.classes.get("grid") and p.classes.get("card"):
        errors.append("html: group cards outside a grid")
    if "@media print" not in src:
        errors.append("html: no print stylesheet")
    return errors


def main(argv):
    if len(argv) < 3 or argv[1] not in ("csv", "ics", "html") or (argv[1] == "csv" and len(argv) != 4):
        print(__doc__, file=sys.stderr)
        return 2
    kind, path = argv[1], argv[2]
    try:
        if kind == "csv":
            errors = check_csv(path, int(argv[3]))
        elif kind == "ics":
            errors = check_ics(path)
        else:
            errors = check_html(path)
    except (OSError, UnicodeDecodeError, csv.Error, ValueError) as e:
        errors = [f"{kind}: {e}"]
    for e in errors:
        print(f"render_check: {path}: {e}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
