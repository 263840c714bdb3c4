// rich_text blocks (sections, lists, quotes, preformatted) as HTML.

import { emojify, escapeHtml, formatDateToken, mrkdwn } from "./mrkdwn.js";

function styled(html, style) {
  if (!style) return html;
  if (style.code) html = `<code>${html}</code>`;
  if (style.bold) html = `<b>${html}</b>`;
  if (style.italic) html = `<i>${html}</i>`;
  if (style.strike) html = `<s>${html}</s>`;
  return html;
}

function inline(item, ctx) {
  switch (item.type) {
    case "text":
      return styled(emojify(escapeHtml(item.text)).replace(/\n/g, "<br>"), item.style);
    case "link":
      return styled(`<a href="${escapeHtml(/^(https?:|mailto:)/i.test(item.url) ? item.url : "#")}" target="_blank" rel="noopener">${escapeHtml(item.text || item.url)}</a>`, item.style);
    case "user":
      return mrkdwn(`<@${item.user_id}>`, ctx);
    case "channel":
      return mrkdwn(`<#${item.channel_id}>`, ctx);
    case "usergroup":
      return `<span class="mention">@${escapeHtml(item.usergroup_id)}</span>`;
    case "broadcast":
      return `<span class="mention">@${escapeHtml(item.range)}</span>`;
    case "emoji":
      return item.unicode
        ? String.fromCodePoint(...item.unicode.split("-").map((h) => parseInt(h, 16)))
        : emojify(`:${item.name}:`);
    case "date":
      return `<time>${escapeHtml(formatDateToken(item.timestamp, item.format, ctx))}</time>`;
    default:
      return "";
  }
}

function part(element, ctx) {
  const inner = (element.elements || []).map((item) =>
    item.type && item.type.startsWith("rich_text_") ? part(item, ctx) : inline(item, ctx)).join("");
  switch (element.type) {
    case "rich_text_section": return `<div>${inner}</div>`;
    case "rich_text_quote": return `<blockquote>${inner}</blockquote>`;
    case "rich_text_preformatted": return `<pre>${inner}</pre>`;
    case "rich_text_list": {
      const tag = element.style === "ordered" ? "ol" : "ul";
      const items = (element.elements || []).map((item) => `<li>${part(item, ctx)}</li>`).join("");
      return `<${tag} class="indent-${element.indent || 0}">${items}</${tag}>`;
    }
    default: return inner;
  }
}

export function renderRichText(block, ctx) {
  return (block.elements || []).map((element) => part(element, ctx)).join("");
}
