// Slack's mrkdwn as HTML: escapes, *bold*, _italics_, ~strike~, `code`, ```blocks```, > quotes,
// <url|links>, <@user>/<#channel> mentions, <!here>, :emoji: and <!date^…> in the viewer's zone.

const EMOJI = {
  rotating_light: "🚨", warning: "⚠️", pencil2: "✏️", memo: "📝", alarm_clock: "⏰",
  white_check_mark: "✅", rocket: "🚀", no_entry: "⛔", mega: "📣", inbox_tray: "📥", x: "❌",
  wrench: "🔧", triangular_ruler: "📐", test_tube: "🧪", tada: "🎉", red_circle: "🔴",
  pager: "📟", leftwards_arrow_with_hook: "↩️", large_orange_circle: "🟠",
  large_green_circle: "🟢", large_yellow_circle: "🟡", large_blue_circle: "🔵",
  hourglass_flowing_sand: "⏳", hourglass: "⌛", heavy_minus_sign: "➖",
  hammer_and_wrench: "🛠️", arrow_up: "⬆️", arrow_down: "⬇️", bell: "🔔", lock: "🔒",
  eyes: "👀", fire: "🔥", bar_chart: "📊", chart_with_upwards_trend: "📈", calendar: "📅",
  clipboard: "📋", mag: "🔍", shield: "🛡️", hammer: "🔨", bust_in_silhouette: "👤",
  heavy_check_mark: "✔️", information_source: "ℹ️", zzz: "💤", repeat: "🔁",
  speech_balloon: "💬", link: "🔗", thumbsup: "👍", "+1": "👍", thumbsdown: "👎",
  white_circle: "⚪", black_circle: "⚫", question: "❓", exclamation: "❗", star: "⭐",
  page_facing_up: "📄", construction: "🚧", checkered_flag: "🏁", stopwatch: "⏱️",
  busts_in_silhouette: "👥", scales: "⚖️", no_entry_sign: "🚫", email: "📧", bulb: "💡",
};

export function escapeHtml(text) {
  return String(text)
    .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// Slack escapes &, < and > in message text; undo that before escaping for HTML.
function unslack(text) {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
}

const ORDINAL = (n) => {
  const s = ["th", "st", "nd", "rd"], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
};

function parts(date, ctx, options) {
  const format = new Intl.DateTimeFormat(ctx.language === "zh-CN" ? "zh-CN" : "en-US", {
    timeZone: ctx.tz || "UTC", ...options,
  });
  return format.format(date);
}

function dayIndex(date, tz) {
  const [y, m, d] = new Intl.DateTimeFormat("en-CA", { timeZone: tz || "UTC" })
    .format(date).split("-").map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / 86400000);
}

function relativeDay(date, ctx) {
  const diff = dayIndex(date, ctx.tz) - dayIndex(new Date(), ctx.tz);
  const zh = ctx.language === "zh-CN";
  if (diff === 0) return zh ? "今天" : "today";
  if (diff === -1) return zh ? "昨天" : "yesterday";
  if (diff === 1) return zh ? "明天" : "tomorrow";
  return null;
}

function longDate(date, ctx, withWeekday, short) {
  if (ctx.language === "zh-CN") {
    return parts(date, ctx, { year: "numeric", month: "long", day: "numeric",
      ...(withWeekday ? { weekday: "long" } : {}) });
  }
  const month = parts(date, ctx, { month: short ? "short" : "long" });
  const day = Number(parts(date, ctx, { day: "numeric" }));
  const year = parts(date, ctx, { year: "numeric" });
  const weekday = withWeekday ? parts(date, ctx, { weekday: "long" }) + ", " : "";
  return short ? `${weekday}${month} ${day}, ${year}` : `${weekday}${month} ${ORDINAL(day)}, ${year}`;
}

export function formatDateToken(seconds, format, ctx) {
  const date = new Date(Number(seconds) * 1000);
  const time = (secs) => parts(date, ctx, { hour: "numeric", minute: "2-digit",
    ...(secs ? { second: "2-digit" } : {}), hour12: ctx.language !== "zh-CN" });
  const pretty = (withWeekday, short) => relativeDay(date, ctx) || longDate(date, ctx, withWeekday, short);
  const tokens = {
    date_num: () => new Intl.DateTimeFormat("en-CA", { timeZone: ctx.tz || "UTC" }).format(date),
    date: () => longDate(date, ctx, false, false),
    date_short: () => longDate(date, ctx, false, true),
    date_long: () => longDate(date, ctx, true, false),
    date_pretty: () => pretty(false, false),
    date_short_pretty: () => pretty(false, true),
    date_long_pretty: () => pretty(true, false),
    time: () => time(false),
    time_secs: () => time(true),
    ago: () => {
      const minutes = Math.round((Date.now() - date.getTime()) / 60000);
      const rtf = new Intl.RelativeTimeFormat(ctx.language === "zh-CN" ? "zh-CN" : "en", { numeric: "auto" });
      if (Math.abs(minutes) < 60) return rtf.format(-minutes, "minute");
      if (Math.abs(minutes) < 48 * 60) return rtf.format(-Math.round(minutes / 60), "hour");
      return rtf.format(-Math.round(minutes / 1440), "day");
    },
  };
  return format.replace(/\{([a-z_]+)\}/g, (whole, name) => (tokens[name] ? tokens[name]() : whole));
}

function renderToken(inner, ctx) {
  if (inner.startsWith("@")) {
    const [id] = inner.slice(1).split("|");
    const user = ctx.people && ctx.people[id];
    const label = user ? user.name : id;
    return `<span class="mention" data-user="${escapeHtml(id)}">@${escapeHtml(label)}</span>`;
  }
  if (inner.startsWith("#")) {
    const [id, name] = inner.slice(1).split("|");
    const channel = ctx.channels && ctx.channels[id];
    const label = name || (channel ? channel.name : id);
    return `<span class="mention channel" data-channel="${escapeHtml(id)}">#${escapeHtml(label)}</span>`;
  }
  if (inner.startsWith("!date^")) {
    const [spec, fallback] = inner.split("|");
    const [, seconds, format, link] = spec.split("^");
    const text = escapeHtml(formatDateToken(seconds, format || "{date}", ctx));
    const title = escapeHtml(unslack(fallback || ""));
    const body = `<time data-ts="${escapeHtml(seconds)}" title="${title}">${text}</time>`;
    return link ? `<a href="${escapeHtml(link)}" target="_blank" rel="noopener">${body}</a>` : body;
  }
  if (inner.startsWith("!subteam^")) {
    const [, label] = inner.split("|");
    return `<span class="mention">${escapeHtml(label || "@group")}</span>`;
  }
  if (inner.startsWith("!")) {
    const [word, label] = inner.slice(1).split("|");
    return `<span class="mention">@${escapeHtml(label || word)}</span>`;
  }
  const [url, label] = inner.split("|");
  const safe = /^(https?:|mailto:)/i.test(url) ? url : "#";
  return `<a href="${escapeHtml(unslack(safe))}" target="_blank" rel="noopener">${escapeHtml(unslack(label || url))}</a>`;
}

function inlineFormat(html) {
  const edge = "(^|[\\s(\\[>\"'“‘]|&gt;)";
  const end = "(?=$|[\\s).,!?:;\\]<\"'”’…，。：；！？])";
  return html
    .replace(new RegExp(`${edge}\\*([^*\\n]+?)\\*${end}`, "g"), "$1<b>$2</b>")
    .replace(new RegExp(`${edge}_([^_\\n]+?)_${end}`, "g"), "$1<i>$2</i>")
    .replace(new RegExp(`${edge}~([^~\\n]+?)~${end}`, "g"), "$1<s>$2</s>");
}

// Returns HTML for one mrkdwn text. `ctx`: {people, channels, tz, language}.
export function mrkdwn(text, ctx) {
  const saved = [];
  const keep = (html) => `\u0000${saved.push(html) - 1}\u0000`;
  let source = String(text ?? "");
  source = source.replace(/```([\s\S]*?)```/g, (_, code) =>
    keep(`<pre>${escapeHtml(unslack(code.replace(/^\n/, "")))}</pre>`));
  source = source.replace(/`([^`\n]+)`/g, (_, code) => keep(`<code>${escapeHtml(unslack(code))}</code>`));
  source = source.replace(/<([^<>\n]+)>/g, (_, inner) => keep(renderToken(inner, ctx)));
  let html = escapeHtml(unslack(source));
  html = html.split("\n").map((line) =>
    line.startsWith("&gt; ") || line === "&gt;" ? `<blockquote>${line.replace(/^&gt; ?/, "")}</blockquote>` : line,
  ).join("\n");
  html = emojify(inlineFormat(html)).replace(/\n/g, "<br>").replace(/<\/blockquote><br>/g, "</blockquote>");
  return html.replace(/\u0000(\d+)\u0000/g, (_, index) => saved[Number(index)]);
}

// plain_text: escaped as is; `emoji: true` turns :shortcodes: into emoji as Slack does.
export function plainText(text, emoji = true) {
  const html = escapeHtml(text ?? "");
  return emoji ? emojify(html) : html;
}

export function textHtml(obj, ctx) {
  if (!obj) return "";
  return obj.type === "mrkdwn" ? mrkdwn(obj.text, ctx) : plainText(obj.text, obj.emoji !== false);
}
