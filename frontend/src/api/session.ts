// The operator's bearer token: in sessionStorage (this tab only, gone when it closes), never a
// cookie. When the API refuses it, the session ends with the API's sentence, which the sign-in
// screen shows. Components subscribe with useToken(), the router with onSessionChange().
import { useSyncExternalStore } from 'react';

const KEY = 'wattkey.token';
const listeners = new Set<() => void>();
let endedBecause: string | null = null;

export function getToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function startSession(token: string): void {
  sessionStorage.setItem(KEY, token);
  endedBecause = null;
  listeners.forEach((listener) => listener());
}

/** `reason`: why the API no longer takes the token; none when the operator logged out. */
export function endSession(reason: string | null = null): void {
  if (!getToken()) return;
  sessionStorage.removeItem(KEY);
  endedBecause = reason;
  listeners.forEach((listener) => listener());
}

export function sessionEndedBecause(): string | null {
  return endedBecause;
}

export function onSessionChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useToken(): string | null {
  return useSyncExternalStore(onSessionChange, getToken);
}
