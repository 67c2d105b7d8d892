// Sign in with an API token: checked with GET /api/me before it is kept (sessionStorage only).
import { api, type Me } from "../api.ts";
import { h, replace } from "../dom.ts";
import { storeToken } from "../session.ts";
import { errorBox } from "../widgets.ts";

export function signInView(view: HTMLElement, onSignedIn: () => void, reason?: string): void {
  const token = h("input", {
    id: "token",
    name: "token",
    type: "password",
    autocomplete: "off",
    required: true,
    spellcheck: "false",
  });
  const status = h("div", { "aria-live": "polite" });
  const button = h("button", { type: "submit", class: "primary" }, "Sign in");
  const form = h(
    "form",
    { class: "card sign-in" },
    h("h1", {}, "Sign in to confn"),
    reason ? h("p", { class: "error", role: "alert" }, reason) : null,
    h(
      "p",
      {},
      "Paste an API token (",
      h("code", {}, "confn_…"),
      "). It is kept for this browser tab only and sent as ",
      h("code", {}, "Authorization: Bearer"),
      ".",
    ),
    h("div", { class: "field" }, h("label", { for: "token" }, "API token"), token),
    button,
    status,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = token.value.trim();
    if (!value) return replace(status, errorBox(new Error("enter a token")));
    button.disabled = true;
    try {
      await api<Me>("/me", { token: value });
      storeToken(value);
      onSignedIn();
    } catch (error) {
      replace(status, errorBox(error));
      token.focus();
    } finally {
      button.disabled = false;
    }
  });
  replace(view, form);
  token.focus();
}
