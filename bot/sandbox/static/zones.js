// Date-time pickers show and read times in the viewer's Slack timezone, not the browser's.

function offsetMinutes(epochMs, tz) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
    timeZone: tz || "UTC", hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  }).formatToParts(new Date(epochMs)).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return Math.round((asUtc - epochMs) / 60000);
}

// "2026-11-28T09:30" in `tz` → unix seconds.
export function zonedEpoch(local, tz) {
  const [date, time] = local.split("T");
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const first = guess - offsetMinutes(guess, tz) * 60000;
  const settled = guess - offsetMinutes(first, tz) * 60000;
  return Math.round(settled / 1000);
}

// unix seconds → "2026-11-28T09:30" in `tz`.
export function zonedLocal(seconds, tz) {
  const ms = seconds * 1000 + offsetMinutes(seconds * 1000, tz) * 60000;
  return new Date(ms).toISOString().slice(0, 16);
}
