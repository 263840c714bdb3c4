// The open modal stack as a dialog: the top view with its inputs, errors under the right inputs,
// submit (view_submission) and close (view_closed), as Slack's client behaves.

import { el, renderBlocks } from "./blockkit.js";
import { plainText } from "./mrkdwn.js";

let fields = {};

function collect() {
  const values = {};
  for (const [key, field] of Object.entries(fields)) values[key] = field.get();
  return values;
}

const isEmpty = (value) => value === null || value === undefined || value === "" ||
  (Array.isArray(value) && value.length === 0);

// Slack's client refuses to submit with required inputs left empty and says so in place.
function missingRequired(t) {
  let missing = 0;
  for (const field of Object.values(fields)) {
    const error = field.node.querySelector(".input-error");
    if (!field.block.optional && isEmpty(field.get())) {
      field.node.classList.add("has-error");
      error.textContent = t("sandbox.modal.required");
      missing += 1;
    }
  }
  return missing > 0;
}

export function renderModal(page, context, act) {
  const root = document.getElementById("modal-root");
  const stack = page.snapshot.modals;
  const view = stack[stack.length - 1];
  const key = view ? JSON.stringify([page.me, view.id, view.hash, view.errors, stack.length]) : "";
  if (key === page.rendered.modal) return;
  page.rendered.modal = key;
  const open = new Set(stack.map((v) => v.id));
  for (const id of Object.keys(page.drafts)) if (!open.has(id)) delete page.drafts[id];
  if (!view) { root.replaceChildren(); fields = {}; return; }
  const drafts = (page.drafts[view.id] ||= {});
  fields = {};
  const ctx = context({
    surface: "modal", fields, drafts, errors: view.errors, stateValues: view.state_values,
    onAction: (block, element, value) => {
      const values = collect();
      Object.assign(drafts, values);
      act("action", {
        action_id: element.action_id, block_id: block.block_id, value,
        location: { kind: "view", view_id: view.id }, values,
      }).catch(() => {});
    },
  });
  const t = ctx.t;
  const problem = el("div", { class: "modal-problem", hidden: true });
  const close = (allViews) => act("close", { view_id: view.id, all_views: allViews }).catch(() => {});
  const submit = async (event) => {
    event.preventDefault();
    for (const [k, v] of Object.entries(collect())) drafts[k] = v;
    if (missingRequired(t)) return;
    try {
      await act("submit", { view_id: view.id, values: collect() });
    } catch (error) {
      problem.textContent = error.message;
      problem.hidden = false;
    }
  };
  const dialog = el("form", {
    class: "modal", role: "dialog", "aria-modal": "true", "data-view-id": view.id,
    "data-callback-id": view.callback_id, novalidate: true, onsubmit: submit,
  },
  el("div", { class: "modal-header" },
    el("h2", { html: plainText(view.title?.text) }),
    el("button", { type: "button", class: "modal-close", "aria-label": t("sandbox.modal.close_all"),
      onclick: () => close(true) }, "×")),
  el("div", { class: "modal-body" }, problem, renderBlocks(view.blocks, ctx)),
  el("div", { class: "modal-footer" },
    el("button", { type: "button", class: "btn", "data-modal": "close", onclick: () => close(false) },
      view.close?.text || t("sandbox.modal.cancel")),
    view.submit ? el("button", { type: "submit", class: "btn primary", "data-modal": "submit" },
      view.submit.text) : null));
  root.replaceChildren(el("div", { class: "modal-backdrop" }, dialog));
}
