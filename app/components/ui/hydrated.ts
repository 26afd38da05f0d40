import { useSyncExternalStore } from "react";

const never = () => () => undefined;

/**
 * Whether the page runs with JavaScript: false on the server and while the server's page is
 * hydrated, true from the render after. Controls that only work with JavaScript (add a row, hide
 * what does not apply) are shown from then on, so that the page without it stays complete.
 */
export function useHydrated() {
  return useSyncExternalStore(
    never,
    () => true,
    () => false,
  );
}
