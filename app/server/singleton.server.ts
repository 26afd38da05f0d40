/**
 * One instance per process, even when a module is loaded twice (the server entry and the Remix
 * build both import the database client, and Vite's dev server reloads modules on change).
 */
export function singleton<T>(name: string, create: () => T): T {
  const store = globalThis as unknown as { __samverkan?: Map<string, unknown> };
  store.__samverkan ??= new Map();
  if (!store.__samverkan.has(name)) store.__samverkan.set(name, create());
  return store.__samverkan.get(name) as T;
}

export function forgetSingleton(name: string) {
  const store = globalThis as unknown as { __samverkan?: Map<string, unknown> };
  store.__samverkan?.delete(name);
}
