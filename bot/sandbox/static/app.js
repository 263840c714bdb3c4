// The sandbox page: a minimal Slack. Every action goes to /sandbox/api, which plays Slack's side
// through the simulator (signed requests to the bot's real /slack/events).

import { el, renderBlocks } from "./blockkit.js";
import { mrkdwn } from "./mrkdwn.js";
import { renderModal } from "./modal.js";

const API = "/sandbox/api";
const page = {
  workspace: null, snapshot: null, me: null, channel: null, tab: "messages",
  drafts: {}, picks: {}, rendered: { content: "", modal: "" }, refreshing: null, again: false,
};

// ---- texts in the acting person's language ----------------------------------------------------

function language() {
  return page.workspace?.people.find((p) => p.id === page.me)?.language || "en";
}

export function t(key, params = {}) {
  const texts = page.workspace?.texts || {};
  const template = texts[language()]?.[key] ?? texts.en?.[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? params[name] : whole));
}

function context(extra = {}) {
  const me = page.workspace.people.find((p) => p.id === page.me);
  return {
    people: page.people, channels: page.channels, tz: me?.tz || "UTC",
    language: language(), t, ...extra,
  };
}

// ---- API ------------------------------------------------------------------------------------

async function call(path, body) {
  const response = await fetch(`${API}/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) {
    const error = new Error(data?.error || data?.detail || `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

export async function act(path, body) {
  try {
    return await call(path, { user: page.me, ...body });
  } catch (error) {
    toast(error.message);
    throw error;
  } finally {
    refresh();
  }
}

function toast(text) {
  const node = document.getElementById("toast");
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.hidden = true; }, 6000);
}

// Coalesces refreshes: one in flight, at most one more queued.
async function refresh() {
  if (page.refreshing) { page.again = true; return page.refreshing; }
  page.refreshing = (async () => {
    do {
      page.again = false;
      try {
        page.snapshot = await call(`state?user=${encodeURIComponent(page.me)}`);
        render();
      } catch (error) {
        toast(error.message);
      }
    } while (page.again);
    page.refreshing = null;
  })();
  return page.refreshing;
}

async function loadWorkspace() {
  page.workspace = await call("workspace");
  page.people = Object.fromEntries(page.workspace.people.map((p) => [p.id, p]));
  page.channels = Object.fromEntries(page.workspace.channels.map((c) => [c.id, c]));
}

// ---- who am I -------------------------------------------------------------------------------

function renderSwitcher() {
  const select = document.getElementById("user-switcher");
  select.replaceChildren(...page.workspace.people.map((p) => {
    const roles = p.roles.length ? p.roles.join(", ") : t("sandbox.roles.none");
    const option = el("option", { value: p.id }, `${p.real_name} — ${roles}`);
    option.selected = p.id === page.me;
    return option;
  }));
}

async function switchUser(userId) {
  page.me = userId;
  localStorage.setItem("platops.sandbox.user", userId);
  page.channel = localStorage.getItem(`platops.sandbox.channel.${userId}`);
  page.tab = "messages";
  page.rendered = { content: "", modal: "", sidebar: "" };
  await loadWorkspace();
  renderChrome();
  await refresh();
}

function renderChrome() {
  document.documentElement.lang = language();
  document.getElementById("banner").textContent = t("sandbox.banner");
  document.getElementById("switcher-label").textContent = t("sandbox.acting_as");
  document.getElementById("channels-title").textContent = t("sandbox.channels");
  document.getElementById("apps-title").textContent = t("sandbox.apps");
  document.getElementById("composer-send").textContent = t("sandbox.send");
  const me = page.people[page.me];
  document.getElementById("me").textContent = me ? `@${me.name} · ${me.tz} · ${me.locale}` : "";
  renderSwitcher();
}

// ---- sidebar and pane -----------------------------------------------------------------------

function channelsOf(kind) {
  return page.snapshot.channels.filter((c) => c.kind === kind);
}

function navButton(channel, label) {
  const active = channel.id === page.channel;
  return el("li", {}, el("button", {
    class: active ? "active" : "", "data-channel": channel.id,
    onclick: () => openChannel(channel.id),
  }, label));
}

function openChannel(channelId, tab = "messages") {
  page.channel = channelId;
  page.tab = tab;
  localStorage.setItem(`platops.sandbox.channel.${page.me}`, channelId);
  page.rendered.content = "";
  render();
  if (tab === "home") act("home", {}).catch(() => {});
}

function currentChannel() {
  const channels = page.snapshot.channels;
  let channel = channels.find((c) => c.id === page.channel);
  if (!channel) {
    channel = channels.find((c) => c.kind === "im");
    page.channel = channel.id;
  }
  return channel;
}

function renderSidebar() {
  const key = JSON.stringify([page.me, page.channel, page.snapshot.channels]);
  if (key === page.rendered.sidebar) return;
  page.rendered.sidebar = key;
  document.getElementById("channel-list").replaceChildren(
    ...channelsOf("channel").map((c) => navButton(c, `${c.is_private ? "🔒" : "#"} ${c.name}`)));
  document.getElementById("app-list").replaceChildren(
    ...channelsOf("im").map((c) => navButton(c, page.workspace.bot.name)));
}

function renderHeader(channel) {
  document.getElementById("pane-title").textContent =
    channel.kind === "im" ? page.workspace.bot.name : `# ${channel.name}`;
  const tabs = document.getElementById("tabs");
  if (channel.kind !== "im") { tabs.replaceChildren(); return; }
  tabs.replaceChildren(...["home", "messages"].map((tab) => el("button", {
    class: page.tab === tab ? "active" : "", role: "tab", "data-tab": tab,
    onclick: () => openChannel(channel.id, tab),
  }, t(`sandbox.tab.${tab}`))));
}

function timeOf(ts) {
  return new Intl.DateTimeFormat(language() === "zh-CN" ? "zh-CN" : "en-US", {
    timeZone: page.people[page.me]?.tz || "UTC", hour: "numeric", minute: "2-digit",
  }).format(new Date(Number(ts) * 1000));
}

function messageNode(channel, message) {
  const bot = !message.user || message.user === page.workspace.bot.id;
  const author = bot ? page.workspace.bot.name : page.people[message.user]?.real_name || message.user;
  const where = { kind: message.ephemeral ? "ephemeral" : "message", channel: channel.id, ts: message.ts };
  // Like Slack's client, a select in a message keeps showing what the person picked until the
  // bot replaces the message (a new version starts from its blocks again).
  const picks = (page.picks[`${page.me}:${channel.id}:${message.ts}:${message.version}`] ||= {});
  const ctx = context({
    surface: "message",
    drafts: picks,
    onAction: (block, element, value) => {
      if (element.type !== "button") picks[`${block.block_id}.${element.action_id}`] = value;
      act("action", {
        action_id: element.action_id, block_id: block.block_id, value, location: where,
      }).catch(() => {});
    },
  });
  const body = el("div", { class: "message-body" },
    el("div", { class: "message-meta" },
      el("span", { class: "author" }, author),
      bot ? el("span", { class: "app-tag" }, t("sandbox.app")) : null,
      el("span", { class: "time" }, timeOf(message.ts)),
      message.edited ? el("span", { class: "edited" }, ` ${t("sandbox.edited")}`) : null),
    message.ephemeral ? el("div", { class: "only-you" }, `👁 ${t("sandbox.only_you")}`) : null);
  if (message.blocks?.length) body.append(renderBlocks(message.blocks, ctx));
  else if (message.text) body.append(el("div", { class: "message-text", html: mrkdwn(message.text, ctx) }));
  for (const file of message.files) {
    body.append(file.is_image
      ? el("img", { class: "file-image", src: `${API}/${file.url}`, alt: file.alt, title: file.title })
      : el("a", { href: `${API}/${file.url}`, download: file.name }, `📎 ${file.title}`));
  }
  const classes = ["message", message.ephemeral ? "ephemeral" : "", message.thread_ts ? "reply" : ""];
  return el("article", { class: classes.join(" ").trim(), "data-ts": message.ts }, el("div", {
    class: `avatar${bot ? " bot" : ""}`,
  }, author.slice(0, 1).toUpperCase()), body);
}

function renderMessages(channel) {
  const messages = page.snapshot.messages[channel.id] || [];
  if (!messages.length) return el("div", { class: "empty" }, t("sandbox.empty"));
  return el("div", { class: "messages" }, messages.map((m) => messageNode(channel, m)));
}

function renderHome() {
  const home = page.snapshot.home;
  if (!home) return el("div", { class: "empty home-empty" }, t("sandbox.home.empty"));
  const ctx = context({
    surface: "home",
    stateValues: {},
    onAction: (block, element, value) => act("action", {
      action_id: element.action_id, block_id: block.block_id, value,
      location: { kind: "view", view_id: home.id },
    }).catch(() => {}),
  });
  return renderBlocks(home.blocks, ctx);
}

function render() {
  if (!page.snapshot) return;
  renderSidebar();
  const channel = currentChannel();
  renderHeader(channel);
  const showingHome = channel.kind === "im" && page.tab === "home";
  const content = document.getElementById("content");
  const key = JSON.stringify([page.me, channel.id, page.tab,
    showingHome ? page.snapshot.home : page.snapshot.messages[channel.id], page.snapshot.warnings.length]);
  if (key !== page.rendered.content) {
    const atBottom = content.scrollHeight - content.scrollTop - content.clientHeight < 40;
    content.replaceChildren(showingHome ? renderHome() : renderMessages(channel));
    if (page.snapshot.warnings.length) {
      content.append(el("details", { class: "warnings" },
        el("summary", {}, t("sandbox.warnings", { count: page.snapshot.warnings.length })),
        el("ul", {}, page.snapshot.warnings.map((w) => el("li", {}, w)))));
    }
    if (atBottom || page.rendered.content === "" || !showingHome) content.scrollTop = content.scrollHeight;
    page.rendered.content = key;
  }
  document.getElementById("composer").hidden = showingHome;
  document.getElementById("composer-input").placeholder = channel.kind === "im"
    ? t("sandbox.composer.dm", { name: page.workspace.bot.name })
    : t("sandbox.composer.channel", { name: channel.name });
  renderModal(page, context, act);
}

// ---- composer with slash command suggestions ------------------------------------------------

function suggestions(text) {
  if (!text.startsWith("/") || text.includes(" ")) return [];
  return page.workspace.commands.filter((c) => c.command.startsWith(text));
}

function renderSuggestions() {
  const input = document.getElementById("composer-input");
  const list = document.getElementById("suggestions");
  const found = suggestions(input.value);
  list.hidden = !found.length;
  list.replaceChildren(...found.map((c) => el("li", {
    "data-command": c.command,
    onmousedown: (event) => {
      event.preventDefault();
      input.value = `${c.command} `;
      list.hidden = true;
      input.focus();
    },
  }, el("b", {}, c.command), ` ${c.usage_hint}`, el("small", {}, c.description))));
}

async function send(event) {
  event?.preventDefault();
  const input = document.getElementById("composer-input");
  const text = input.value.trim();
  if (!text) return;
  input.value = "";
  renderSuggestions();
  await act("command", { channel: page.channel, text }).catch(() => { input.value = text; });
}

function wireComposer() {
  const input = document.getElementById("composer-input");
  document.getElementById("composer").addEventListener("submit", send);
  input.addEventListener("input", renderSuggestions);
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) send(event);
  });
}

// ---- live updates ---------------------------------------------------------------------------

function listen() {
  const source = new EventSource(`${API}/events`);
  source.addEventListener("change", () => refresh());
}

async function start() {
  await loadWorkspace();
  const saved = localStorage.getItem("platops.sandbox.user");
  const first = page.workspace.people.find((p) => p.id === saved) || page.workspace.people[0];
  document.getElementById("user-switcher").addEventListener("change", (e) => switchUser(e.target.value));
  wireComposer();
  await switchUser(first.id);
  listen();
  document.body.dataset.ready = "true";
}

start().catch((error) => toast(error.message));
