import { useLocation } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useHydrated } from "./hydrated";

type Announce = {
  /** Tells what an action on the page did, in the page's status message. */
  say(message: string): void;
  /** The element that had the keyboard focus is gone (its row was removed): the message takes it. */
  focusLost(): void;
};

const AnnounceContext = createContext<Announce>({ say: () => undefined, focusLost: () => undefined });

/** The page's status message (see Announcer). */
export const useAnnounce = () => useContext(AnnounceContext);

/**
 * The page's status message: what a confirmed action did ("Lena Berg är borttagen …"), shown and
 * announced where it stays visible even when the action removed the row its button was in. If
 * that removal also took the keyboard focus with it, the message takes the focus, so that a
 * keyboard or screen-reader user goes on from there instead of from the top of the page. It is
 * cleared when another page opens, or with its close button.
 *
 * `flash` is what an action told the page it redirected to (app/server/flash.server.ts): drawn
 * by the server, so that it is there without JavaScript too, and said again when it arrives
 * with a navigation in the browser.
 */
export function Announcer({ children, flash }: { children: ReactNode; flash?: { message: string; id: string } | null }) {
  const [said, setSaid] = useState<{ message: string; id: number } | null>(() => (flash ? { message: flash.message, id: 0 } : null));
  const region = useRef<HTMLDivElement>(null);
  const { pathname, search } = useLocation();
  const hydrated = useHydrated();

  const say = useCallback((message: string) => setSaid((previous) => ({ message, id: (previous?.id ?? 0) + 1 })), []);
  const focusLost = useCallback(() => {
    setTimeout(() => {
      const focused = document.activeElement;
      if ((!focused || focused === document.body) && region.current && !region.current.hidden) region.current.focus();
    }, 0);
  }, []);
  const announce = useMemo(() => ({ say, focusLost }), [say, focusLost]);

  useEffect(() => setSaid(null), [pathname]);
  // After the clearing above, so that a flash that comes with a new page stays.
  const flashMessage = flash?.message;
  useEffect(() => {
    if (flashMessage) say(flashMessage);
  }, [flash?.id, flashMessage, say]);

  return (
    <AnnounceContext.Provider value={announce}>
      {children}
      <div ref={region} className="announcer alert alert--ok" role="status" aria-live="polite" tabIndex={-1} hidden={!said}>
        {said ? (
          <>
            <span key={said.id}>{said.message}</span>{" "}
            {hydrated ? (
              <button
                type="button"
                className="link-button"
                onClick={() => {
                  setSaid(null);
                  document.getElementById("innehall")?.focus();
                }}
              >
                Stäng
              </button>
            ) : (
              // Without JavaScript: the page again, whose flash has been told and is gone.
              <a href={`${pathname}${search}`}>Stäng</a>
            )}
          </>
        ) : null}
      </div>
    </AnnounceContext.Provider>
  );
}
