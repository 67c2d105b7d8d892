// The confn web console: a hash-routed single page over the public API (docs/console.md).
//   #/                                   Spaces
//   #/space/<id>                         the Space's Units
//   #/space/<id>/unit/<id>[/revision/<id>] a Unit, its Revisions and their diffs
//   #/space/<id>/run                     run functions: preview, apply
//   #/space/<id>/triggers                Triggers and the Units they gate
import { api, whenUnauthorized, type Me } from "./api.ts";
import type { Context } from "./context.ts";
import { h, replace } from "./dom.ts";
import { forgetToken, storedToken } from "./session.ts";
import { runView } from "./views/run.ts";
import { signInView } from "./views/sign-in.ts";
import { spacesView } from "./views/spaces.ts";
import { triggersView } from "./views/triggers.ts";
import { unitView } from "./views/unit.ts";
import { unitsView } from "./views/units.ts";
import { errorBox } from "./widgets.ts";

const view = document.getElementById("view")!;
const top = document.getElementById("top")!;
const ticked = new Map<string, Set<string>>();
let me: Me | undefined;
let current: AbortController | undefined;

const UUID = "([0-9a-fA-F-]{36})";
const ROUTES: [RegExp, (context: Context, ...ids: string[]) => Promise<void>][] = [
  [/^\/?$/, (c) => spacesView(view, c)],
  [new RegExp(`^/space/${UUID}$`), (c, s) => unitsView(view, c, s!)],
  [new RegExp(`^/space/${UUID}/run$`), (c, s) => runView(view, c, s!)],
  [new RegExp(`^/space/${UUID}/triggers$`), (c, s) => triggersView(view, c, s!)],
  [
    new RegExp(`^/space/${UUID}/unit/${UUID}(?:/revision/${UUID})?$`),
    (c, s, u, r) => unitView(view, c, s!, u!, r),
  ],
];

function header(): void {
  if (!me) return replace(top);
  replace(
    top,
    h(
      "nav",
      { class: "topbar", "aria-label": "Main" },
      h("a", { href: "#/", class: "brand" }, "confn"),
      h("a", { href: "#/" }, "Spaces"),
      h("a", { href: "/docs" }, "API docs"),
      h("span", { class: "spacer" }),
      h(
        "span",
        { class: "who", id: "who" },
        "Organization ",
        h("strong", { id: "org" }, me.OrganizationSlug),
        " · role ",
        h("strong", { id: "role" }, me.Role),
      ),
      h("button", { type: "button", id: "sign-out", onclick: signOut }, "Sign out"),
    ),
  );
}

function signOut(): void {
  forgetToken();
  me = undefined;
  ticked.clear();
  location.hash = "#/";
  void route();
}

async function route(): Promise<void> {
  current?.abort();
  const controller = new AbortController();
  current = controller;
  if (!storedToken()) {
    me = undefined;
    header();
    signInView(view, () => void route());
    return;
  }
  if (!me) {
    try {
      me = await api<Me>("/me", { signal: controller.signal });
    } catch (error) {
      if (!controller.signal.aborted) replace(view, errorBox(error));
      return;
    }
  }
  header();
  const context: Context = { me, canWrite: me.Role !== "viewer", ticked, signal: controller.signal };
  const path = decodeURIComponent(location.hash.replace(/^#/, ""));
  for (const [pattern, show] of ROUTES) {
    const match = pattern.exec(path);
    if (match) {
      replace(view, h("p", { class: "muted" }, "Loading…"));
      await show(context, ...match.slice(1).filter((x): x is string => x !== undefined));
      if (!controller.signal.aborted) view.focus({ preventScroll: true });
      return;
    }
  }
  replace(
    view,
    h("h1", {}, "Not found"),
    h("p", {}, "No page here. ", h("a", { href: "#/" }, "Back to the Spaces")),
  );
}

whenUnauthorized(() => {
  me = undefined;
  current?.abort();
  header();
  signInView(view, () => void route(), "The token was refused (revoked or expired): sign in again.");
});
window.addEventListener("hashchange", () => void route());
void route();
