// Expand an iCalendar feed with ical.js (Mozilla's parser, used by Thunderbird) the way a
// calendar client does, and print each occurrence as JSON: UID, UTC start and end, status.
// Usage: node expand.mjs FROM TO < feed.ics   (FROM and TO are ISO instants in UTC)
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

const [from, to] = process.argv.slice(2).map((value) => new Date(value).getTime() / 1000);
const root = new ICAL.Component(ICAL.parse(readFileSync(0, "utf8")));
const vevents = root.getAllSubcomponents("vevent");
const masters = new Map();
for (const vevent of vevents) {
  if (!vevent.hasProperty("recurrence-id")) masters.set(vevent.getFirstPropertyValue("uid"), new ICAL.Event(vevent));
}
for (const vevent of vevents) {
  if (vevent.hasProperty("recurrence-id")) masters.get(vevent.getFirstPropertyValue("uid")).relateException(vevent);
}
const out = [];
const iso = (time) => new Date(time.toUnixTime() * 1000).toISOString().replace(".000Z", "Z");
for (const event of masters.values()) {
  const iterator = event.iterator();
  for (let next = iterator.next(); next; next = iterator.next()) {
    const at = next.toUnixTime();
    if (at >= to) break;
    const details = event.getOccurrenceDetails(next);
    const start = details.startDate.toUnixTime();
    if (start < from || start >= to) continue;
    out.push({
      uid: event.uid,
      start: iso(details.startDate),
      end: iso(details.endDate),
      status: details.item.component.getFirstPropertyValue("status") || "",
      summary: details.item.summary,
    });
  }
}
out.sort((a, b) => (a.start + a.uid).localeCompare(b.start + b.uid));
process.stdout.write(JSON.stringify(out));
