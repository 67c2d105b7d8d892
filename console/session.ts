// The API token lives in sessionStorage only: it is gone when the browser tab closes, and never
// written to a cookie (so no other site can make the browser send it).
const KEY = "confn.token";

export function storedToken(): string | undefined {
  return sessionStorage.getItem(KEY) ?? undefined;
}

export function storeToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
