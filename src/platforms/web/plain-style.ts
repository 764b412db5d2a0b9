/**
 * The look of the server's own pages (sign-in, a refused link, the one-time link used): the studio's colours and
 * type, light or dark as the system is. Served as `/studio/plain.css`, as the page's CSP allows no inline style.
 */
export const PLAIN_PAGE_CSS = `:root {
  color-scheme: light dark;
  --bg: #f6f7f9; --panel: #ffffff; --ink: #1c1f24; --muted: #6a7280; --line: #e2e5ea;
  --accent: #4f46e5; --accent-ink: #ffffff; --danger: #c62828;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  background: var(--bg); color: var(--ink);
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #111317; --panel: #1a1d23; --ink: #e8eaee; --muted: #9aa1ad; --line: #2b3038;
    --accent: #818cf8; --accent-ink: #0d0f14; --danger: #ef7070; }
}
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1rem; box-sizing: border-box; }
main { width: min(26rem, 100%); background: var(--panel); border: 1px solid var(--line); border-radius: 12px;
  padding: 1.5rem 1.75rem; box-shadow: 0 1px 3px rgb(0 0 0 / 6%); }
.brand { margin: 0 0 1rem; font-size: 0.95rem; font-weight: 700; }
.brand span { color: var(--muted); font-weight: 400; }
h1 { margin: 0 0 0.75rem; font-size: 1.25rem; }
p { margin: 0.5rem 0; }
[role="alert"] { color: var(--danger); }
ul.ways { list-style: none; margin: 1rem 0 0; padding: 0; display: grid; gap: 0.5rem; }
ul.ways a { display: block; text-align: center; padding: 0.6rem 1rem; border-radius: 8px; text-decoration: none;
  background: var(--accent); color: var(--accent-ink); font-weight: 600; }
ul.ways a:focus-visible { outline: 2px solid var(--ink); outline-offset: 2px; }
a { color: var(--accent); }
code { font-size: 0.9em; }
`;
