// Block Kit → DOM for the sandbox page: messages, the App Home and modals.
// ctx: {people, channels, tz, language, t, surface, onAction(block, element, value),
//       fields (modal inputs register here), drafts (values typed so far), errors}

import { escapeHtml, mrkdwn, plainText, textHtml } from "./mrkdwn.js";
import { renderRichText } from "./richtext.js";
import { zonedEpoch, zonedLocal } from "./zones.js";

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "html") node.innerHTML = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}
export { el };

const optionLabel = (option) => plainText(option.text?.text ?? option.value);

function allOptions(element) {
  const options = [...(element.options || [])];
  for (const group of element.option_groups || []) options.push(...(group.options || []));
  return options;
}

function confirmThen(element, ctx, go) {
  const confirm = element.confirm;
  if (!confirm) return go();
  const dialog = el("div", { class: "confirm-backdrop", role: "dialog", "aria-modal": "true" },
    el("div", { class: "confirm" },
      el("h3", { html: textHtml(confirm.title || { type: "plain_text", text: ctx.t("sandbox.confirm.title") }, ctx) }),
      el("div", { class: "confirm-text", html: textHtml(confirm.text, ctx) }),
      el("div", { class: "confirm-buttons" },
        el("button", { class: "btn", onclick: () => dialog.remove() },
          confirm.deny?.text || ctx.t("sandbox.confirm.deny")),
        el("button", {
          class: `btn ${confirm.style === "danger" ? "danger" : "primary"}`,
          onclick: () => { dialog.remove(); go(); },
        }, confirm.confirm?.text || ctx.t("sandbox.confirm.confirm")))));
  document.body.append(dialog);
}

// ---- interactive elements: each returns a node and, in modals, a getter for its value ----------

function button(block, element, ctx) {
  const node = el("button", {
    class: `btn ${element.style || ""}`.trim(),
    "data-action-id": element.action_id,
    title: element.accessibility_label,
    html: plainText(element.text?.text),
  });
  node.addEventListener("click", () => confirmThen(element, ctx, () => {
    if (element.url) window.open(element.url, "_blank", "noopener");
    ctx.onAction(block, element, element.value ?? null);
  }));
  return { node };
}

function selectNode(block, element, ctx, options, { multiple = false, initial = [] } = {}) {
  const select = el("select", { "data-action-id": element.action_id, multiple });
  if (!multiple) {
    select.append(el("option", { value: "" },
      element.placeholder?.text || ctx.t("sandbox.select.placeholder")));
  }
  for (const { value, label, group } of options) {
    const option = el("option", { value, html: label });
    if (initial.includes(value)) option.selected = true;
    (group || select).append(option);
  }
  const get = () => {
    const chosen = [...select.selectedOptions].map((o) => o.value).filter((v) => v !== "");
    return multiple ? chosen : chosen[0] ?? null;
  };
  return { node: select, get, watch: (fn) => select.addEventListener("change", fn) };
}

function staticOptions(element) {
  const options = [];
  if (element.option_groups) {
    for (const group of element.option_groups) {
      const node = el("optgroup", { label: group.label?.text || "" });
      options.push({ value: "", label: "", groupNode: node });
      for (const option of group.options || []) {
        options.push({ value: option.value, label: optionLabel(option), group: node });
      }
    }
  } else {
    for (const option of element.options || []) {
      options.push({ value: option.value, label: optionLabel(option) });
    }
  }
  return options;
}

function peopleOptions(ctx) {
  return Object.values(ctx.people).map((p) => ({ value: p.id, label: escapeHtml(`${p.real_name} (@${p.name})`) }));
}

function channelOptions(ctx) {
  return Object.values(ctx.channels).map((c) => ({ value: c.id, label: escapeHtml(`#${c.name}`) }));
}

function selectElement(block, element, ctx, initial) {
  const kind = element.type;
  const multiple = kind.startsWith("multi_");
  let options;
  if (kind.endsWith("static_select")) {
    options = staticOptions(element);
  } else if (kind.endsWith("users_select")) {
    options = peopleOptions(ctx);
  } else {
    options = channelOptions(ctx);
  }
  const groups = options.filter((o) => o.groupNode).map((o) => o.groupNode);
  const made = selectNode(block, element, ctx, options.filter((o) => !o.groupNode), { multiple, initial });
  for (const group of groups) made.node.append(group);
  return made;
}

function overflow(block, element, ctx) {
  const menu = el("div", { class: "overflow-menu", hidden: true });
  for (const option of element.options || []) {
    menu.append(el("button", {
      class: "overflow-item", html: optionLabel(option), "data-value": option.value,
      onclick: (event) => {
        event.stopPropagation();
        menu.hidden = true;
        confirmThen(element, ctx, () => ctx.onAction(block, element, option.value));
      },
    }));
  }
  const toggle = el("button", {
    class: "btn overflow", "data-action-id": element.action_id, "aria-label": "more",
    onclick: (event) => { event.stopPropagation(); menu.hidden = !menu.hidden; },
  }, "⋮");
  return { node: el("span", { class: "overflow-wrap" }, toggle, menu) };
}

// A click anywhere else closes open overflow menus: one listener for the page, not one per
// render (every redraw would otherwise add another that lives forever).
document.addEventListener("click", () => {
  for (const menu of document.querySelectorAll(".overflow-menu")) menu.hidden = true;
});

function choices(block, element, ctx, initial) {
  const radio = element.type === "radio_buttons";
  const name = `${block.block_id}.${element.action_id}.${Math.random().toString(36).slice(2)}`;
  const inputs = [];
  const node = el("div", { class: `choices ${radio ? "radio" : "checkboxes"}`, "data-action-id": element.action_id });
  for (const option of element.options || []) {
    const input = el("input", { type: radio ? "radio" : "checkbox", name, value: option.value });
    input.checked = initial.includes(option.value);
    inputs.push(input);
    node.append(el("label", { class: "choice" }, input,
      el("span", { html: textHtml(option.text, ctx) }),
      option.description ? el("small", { html: textHtml(option.description, ctx) }) : null));
  }
  const get = () => {
    const chosen = inputs.filter((i) => i.checked).map((i) => i.value);
    return radio ? chosen[0] ?? null : chosen;
  };
  return { node, get, watch: (fn) => inputs.forEach((i) => i.addEventListener("change", fn)) };
}

function textInput(block, element, ctx, initial) {
  const types = { email_text_input: "email", url_text_input: "url", number_input: "number" };
  const attrs = {
    "data-action-id": element.action_id,
    placeholder: element.placeholder?.text,
    maxlength: element.max_length,
    minlength: element.min_length,
  };
  let node;
  if (element.multiline || element.type === "rich_text_input") {
    node = el("textarea", { ...attrs, rows: 4 });
  } else {
    node = el("input", { ...attrs, type: types[element.type] || "text" });
    if (element.type === "number_input") {
      node.step = element.is_decimal_allowed ? "any" : "1";
      if (element.min_value !== undefined) node.min = element.min_value;
      if (element.max_value !== undefined) node.max = element.max_value;
    }
  }
  node.value = initial ?? "";
  const get = () => (node.value === "" ? null : node.value);
  return { node, get, watch: (fn) => node.addEventListener("change", fn) };
}

function datePicker(block, element, ctx, initial) {
  const types = { datepicker: "date", timepicker: "time", datetimepicker: "datetime-local" };
  const node = el("input", { type: types[element.type], "data-action-id": element.action_id });
  const zone = element.timezone || ctx.tz;
  if (element.type === "datetimepicker") {
    node.value = initial ? zonedLocal(Number(initial), zone) : "";
  } else {
    node.value = initial ?? "";
  }
  const get = () => {
    if (!node.value) return null;
    return element.type === "datetimepicker" ? zonedEpoch(node.value, zone) : node.value;
  };
  return { node, get, watch: (fn) => node.addEventListener("change", fn) };
}

// The element's current value as Slack's client would show it: typed draft, else the view's
// state, else the element's initial value.
function initialValue(block, element, ctx) {
  const key = `${block.block_id}.${element.action_id}`;
  if (ctx.drafts && key in ctx.drafts) return ctx.drafts[key];
  const state = ctx.stateValues?.[block.block_id]?.[element.action_id];
  const fromState = state && Object.entries(state).find(([k]) => k !== "type")?.[1];
  const pick = (value) => {
    if (value === null || value === undefined) return undefined;
    if (Array.isArray(value)) return value.map((v) => (v && typeof v === "object" ? v.value : v));
    if (typeof value === "object") return value.value;
    return value;
  };
  const stated = pick(fromState);
  if (stated !== undefined && !(Array.isArray(stated) && stated.length === 0 && !state)) return stated;
  const initialKeys = ["initial_value", "initial_option", "initial_options", "initial_user",
    "initial_users", "initial_conversation", "initial_conversations", "initial_channel",
    "initial_channels", "initial_date", "initial_time", "initial_date_time"];
  for (const name of initialKeys) {
    if (element[name] !== undefined) return pick(element[name]);
  }
  return undefined;
}

const asList = (value) => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

export function renderElement(block, element, ctx) {
  const initial = initialValue(block, element, ctx);
  switch (element.type) {
    case "button":
      return button(block, element, ctx);
    case "overflow":
      return overflow(block, element, ctx);
    case "static_select": case "multi_static_select": case "users_select":
    case "multi_users_select": case "conversations_select": case "multi_conversations_select":
    case "channels_select": case "multi_channels_select": case "external_select":
    case "multi_external_select":
      return selectElement(block, element, ctx, asList(initial));
    case "checkboxes": case "radio_buttons":
      return choices(block, element, ctx, asList(initial));
    case "plain_text_input": case "email_text_input": case "url_text_input":
    case "number_input": case "rich_text_input":
      return textInput(block, element, ctx, initial);
    case "datepicker": case "timepicker": case "datetimepicker":
      return datePicker(block, element, ctx, initial);
    case "image":
      return { node: el("img", { class: "element-image", src: element.image_url || element.slack_file?.url, alt: element.alt_text }) };
    default:
      return { node: el("span", { class: "unsupported" }, `[${element.type}]`) };
  }
}

// An element outside an input block acts at once, like Slack (selects on change).
function actingElement(block, element, ctx) {
  const made = renderElement(block, element, ctx);
  if (made.watch) made.watch(() => ctx.onAction(block, element, made.get()));
  return made.node;
}

// ---- blocks ---------------------------------------------------------------------------------

function section(block, ctx) {
  const body = el("div", { class: "section-body" });
  if (block.text) body.append(el("div", { class: "section-text", html: textHtml(block.text, ctx) }));
  if (block.fields?.length) {
    body.append(el("div", { class: "fields" },
      block.fields.map((field) => el("div", { class: "field", html: textHtml(field, ctx) }))));
  }
  const node = el("div", { class: "block section" }, body);
  if (block.accessory) {
    node.append(el("div", { class: "accessory" }, actingElement(block, block.accessory, ctx)));
  }
  return node;
}

function inputBlock(block, ctx) {
  const element = block.element;
  const key = `${block.block_id}.${element.action_id}`;
  const made = renderElement(block, element, ctx);
  const error = ctx.errors?.[block.block_id];
  const node = el("div", { class: `block input${error ? " has-error" : ""}`, "data-block-id": block.block_id },
    el("label", { class: "input-label" },
      el("span", { html: plainText(block.label?.text) }),
      block.optional ? el("span", { class: "optional" }, ` (${ctx.t("sandbox.modal.optional")})`) : null),
    made.node,
    block.hint ? el("div", { class: "hint", html: plainText(block.hint.text) }) : null,
    el("div", { class: "input-error", role: "alert" }, error || ""));
  if (ctx.fields && made.get) {
    ctx.fields[key] = { block, element, get: made.get, node };
    if (made.watch) {
      made.watch(() => {
        ctx.drafts[key] = made.get();
        if (block.dispatch_action) ctx.onAction(block, element, made.get());
      });
    }
  }
  return node;
}

function image(block, ctx) {
  const src = block.image_url || block.slack_file?.url;
  return el("figure", { class: "block image" },
    block.title ? el("figcaption", { html: textHtml(block.title, ctx) }) : null,
    el("img", { src, alt: block.alt_text || "" }));
}

function context(block, ctx) {
  return el("div", { class: "block context" }, (block.elements || []).map((item) =>
    item.type === "image"
      ? el("img", { class: "context-image", src: item.image_url || item.slack_file?.url, alt: item.alt_text })
      : el("span", { html: textHtml(item, ctx) })));
}

export function renderBlock(block, ctx) {
  switch (block.type) {
    case "section": return section(block, ctx);
    case "header": return el("h2", { class: "block header", html: plainText(block.text?.text) });
    case "divider": return el("hr", { class: "block divider" });
    case "context": return context(block, ctx);
    case "image": return image(block, ctx);
    case "actions":
      return el("div", { class: "block actions", "data-block-id": block.block_id },
        (block.elements || []).map((element) => actingElement(block, element, ctx)));
    case "input": return inputBlock(block, ctx);
    case "rich_text": return el("div", { class: "block rich-text", html: renderRichText(block, ctx) });
    case "markdown": return el("div", { class: "block markdown", html: mrkdwn(block.text, ctx) });
    default: return el("div", { class: "block unsupported" }, `[${block.type} block]`);
  }
}

export function renderBlocks(blocks, ctx) {
  const wrap = el("div", { class: "blocks" });
  for (const block of blocks || []) wrap.append(renderBlock(block, ctx));
  return wrap;
}
