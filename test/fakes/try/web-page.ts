/**
 * The try-out's read-only page: plain HTML, CSS and a script of its own (nothing fetched from elsewhere). It
 * polls `/messages` twice a second and redraws the channel when it changed; images come from `/image/<id>`.
 */
export const PAGE = (platform: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>imagine-bot · fake ${platform}</title>
<style>
  body { margin: 0; font: 15px/1.45 system-ui, sans-serif; background: #313338; color: #dbdee1; }
  header { padding: 12px 20px; background: #2b2d31; border-bottom: 1px solid #1e1f22; font-weight: 600; }
  main { padding: 12px 20px 40px; max-width: 900px; }
  .message { padding: 8px 0; border-bottom: 1px solid #3f4147; }
  .meta { color: #949ba4; font-size: 13px; }
  .author { color: #f2f3f5; font-weight: 600; margin-right: 6px; }
  .bot .author { color: #c9a7ff; }
  .only { color: #f0b232; }
  .deleted { opacity: .45; text-decoration: line-through; }
  .text { white-space: pre-wrap; margin: 2px 0 6px; }
  .images { display: flex; flex-wrap: wrap; gap: 8px; }
  .images img { max-width: 360px; max-height: 360px; border-radius: 6px; background: #1e1f22; }
  .buttons { margin-top: 6px; display: flex; flex-wrap: wrap; gap: 6px; }
  .buttons span { background: #4e5058; color: #fff; border-radius: 4px; padding: 3px 10px; font-size: 14px; }
  #empty { color: #949ba4; }
  code { background: #1e1f22; border-radius: 3px; padding: 0 4px; font-size: 13px; }
</style>
</head>
<body>
<header>#general on the fake ${platform} · read-only: act in the console</header>
<main id="channel"><p id="empty">Nothing yet: type /imagine … in the console.</p></main>
<script>
  const channel = document.getElementById("channel");
  let last = "";
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };
  // Discord's **bold**, Slack's *bold* and _italics_, and \`code\`: drawn as such, the text itself never as HTML.
  function formatted(text) {
    const node = el("div", "text");
    for (const part of text.split(/(\\*\\*[^*\\n]+\\*\\*|\\*[^*\\n]+\\*|\\b_[^_\\n]+_\\b|\`[^\`\\n]+\`)/)) {
      if (/^\\*\\*.+\\*\\*$/.test(part)) node.append(el("strong", "", part.slice(2, -2)));
      else if (/^\\*.+\\*$/.test(part)) node.append(el("strong", "", part.slice(1, -1)));
      else if (/^_.+_$/.test(part)) node.append(el("em", "", part.slice(1, -1)));
      else if (/^\`.+\`$/.test(part)) node.append(el("code", "", part.slice(1, -1)));
      else node.append(document.createTextNode(part));
    }
    return node;
  }
  function draw(messages) {
    channel.replaceChildren();
    if (messages.length === 0) channel.append(el("p", "", "Nothing yet: type /imagine … in the console."));
    for (const message of messages) {
      const item = el("article", "message" + (message.byBot ? " bot" : "") + (message.deleted ? " deleted" : ""));
      const meta = el("div", "meta");
      meta.append(el("span", "author", (message.number ? "#" + message.number + " " : "") + message.author));
      meta.append(el("span", "", "in " + message.where));
      if (message.onlyYou) meta.append(el("span", "only", " · only you see it"));
      item.append(meta, formatted(message.text));
      if (message.images.length > 0) {
        const images = el("div", "images");
        for (const image of message.images) {
          const img = el("img");
          img.src = "/image/" + encodeURIComponent(image.id);
          img.alt = image.name;
          img.title = image.name;
          images.append(img);
        }
        item.append(images);
      }
      if (message.buttons.length > 0) {
        const buttons = el("div", "buttons");
        for (const label of message.buttons) buttons.append(el("span", "", label));
        item.append(buttons);
      }
      channel.append(item);
    }
    window.scrollTo(0, document.body.scrollHeight);
  }
  async function poll() {
    try {
      const text = await (await fetch("/messages", { cache: "no-store" })).text();
      if (text !== last) {
        last = text;
        draw(JSON.parse(text));
      }
    } catch {
      // The try-out stopped: the page keeps what it drew.
    }
    setTimeout(poll, 500);
  }
  poll();
</script>
</body>
</html>
`;
