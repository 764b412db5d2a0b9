/**
 * What a browser does on the fake Discord's or Slack's consent page, without a browser: opens the authorize URL,
 * submits the page's form with its Authorize/Allow button (or Cancel), and returns where the redirect points
 * (the app's callback with `code` and `state`). Throws with the page's text when the fake shows its error page.
 */
export async function consentAt(authorizeUrl: string, answer: "allow" | "cancel" = "allow"): Promise<URL> {
  const page = await fetch(authorizeUrl);
  const html = await page.text();
  if (page.status !== 200)
    throw new Error(`the consent page answered ${page.status}: ${html.replace(/<[^>]+>/g, " ")}`);
  const decodeEntities = (text: string) =>
    text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)));
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)) {
    fields.set(name ?? "", decodeEntities(value ?? ""));
  }
  const buttons = [...html.matchAll(/<button name="(\w+)" value="(\w+)"/g)];
  const button = buttons.find(([, , value]) => (value === "true") === (answer === "allow"));
  if (button === undefined) throw new Error("the consent page has no such button");
  fields.set(button[1] ?? "", button[2] ?? "");
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? "";
  const sent = await fetch(new URL(action, authorizeUrl), {
    method: "POST",
    body: fields,
    redirect: "manual",
  });
  const location = sent.headers.get("location");
  if (sent.status !== 302 || location === null) throw new Error(`the consent form answered ${sent.status}`);
  return new URL(location);
}
