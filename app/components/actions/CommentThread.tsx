import { useFetcher } from "@remix-run/react";
import { useEffect, useId, useRef, useState } from "react";
import { formatDateTime } from "../../format";

export type CommentThreadData = {
  comments: Array<{ id: string; authorName: string; body: string; createdAt: string; mentioned: string[] }>;
  mentionable: { people: string[]; organisations: string[] };
};

type SaveResult = { ok: true; message: string } | { ok: false; message: string; fieldErrors?: Record<string, string>; body?: string };

/**
 * An åtgärd's comment thread with a form for a new comment. Loads itself from the item's
 * comments route unless the page already has the thread; new comments are announced politely.
 */
export function CommentThread({
  itemId,
  initial,
  initialBody = "",
  arrived = [],
}: {
  itemId: string;
  initial?: CommentThreadData;
  initialBody?: string;
  /** Comments that arrived live (the page holds the list's live room); shown with the loaded ones, once each. */
  arrived?: CommentThreadData["comments"];
}) {
  const path = `/atgarder/${itemId}/kommentarer`;
  const loader = useFetcher<CommentThreadData>();
  const saver = useFetcher<SaveResult>();
  const form = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState(initialBody);
  const id = useId();

  const requested = useRef(false);
  useEffect(() => {
    // Loaded once when the thread appears; afterwards only after a comment was saved.
    if (initial || requested.current) return;
    requested.current = true;
    loader.load(path);
  }, [initial, loader, path]);

  useEffect(() => {
    if (saver.state === "idle" && saver.data?.ok) {
      setDraft("");
      loader.load(path);
    }
    // Reload only when a save has finished.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [saver.state, saver.data]);

  const loaded = loader.data ?? initial;
  const data = loaded && arrived.length ? { ...loaded, comments: mergeComments(loaded.comments, arrived) } : loaded;
  const error = saver.data && !saver.data.ok ? saver.data.message : null;

  return (
    <section id="kommentarer" aria-labelledby={`${id}-heading`} className="stack">
      <h2 id={`${id}-heading`}>Kommentarer</h2>
      {!data ? (
        <p className="muted" role="status">
          Hämtar kommentarer…
        </p>
      ) : data.comments.length === 0 ? (
        <p className="empty">Inga kommentarer ännu.</p>
      ) : (
        <ol className="list-plain comment-list" aria-live="polite">
          {data.comments.map((comment) => (
            <li key={comment.id} className="card">
              <p>
                <strong>{comment.authorName}</strong> <span className="muted">{formatDateTime(comment.createdAt)}</span>
              </p>
              <p className="pre-line">{comment.body}</p>
              {comment.mentioned.length ? <p className="hint">Nämnda: {comment.mentioned.join(", ")}</p> : null}
            </li>
          ))}
        </ol>
      )}
      <saver.Form method="post" action={path} ref={form}>
        <input type="hidden" name="intent" value="comment" />
        <div className="field">
          <label htmlFor={`${id}-body`}>
            Ny kommentar
            <span className="hint" id={`${id}-hint`}>
              Skriv @ och ett namn för att nämna någon som listan är delad med, t.ex. @{data?.mentionable.people[0] ?? "Förnamn Efternamn"} eller @
              {data?.mentionable.organisations[0] ?? "organisationens namn"}. Den som nämns får e-post. Skriv inga uppgifter om enskilda personer.
            </span>
          </label>
          <textarea
            id={`${id}-body`}
            name="body"
            rows={3}
            required
            maxLength={5000}
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ""}`}
            aria-invalid={error ? true : undefined}
          />
          {error ? (
            <p className="field-error" id={`${id}-error`} role="alert">
              {error}
            </p>
          ) : null}
        </div>
        <div className="actions">
          <button className="button" type="submit" disabled={saver.state !== "idle"}>
            {saver.state !== "idle" ? "Sparar…" : "Kommentera"}
          </button>
        </div>
        <p role="status" aria-live="polite" className="muted">
          {saver.data?.ok ? saver.data.message : ""}
        </p>
      </saver.Form>
    </section>
  );
}

/** The loaded thread and the comments that arrived live since, each once, oldest first. */
function mergeComments(loaded: CommentThreadData["comments"], arrived: CommentThreadData["comments"]) {
  const known = new Set(loaded.map((comment) => comment.id));
  const extra = arrived.filter((comment) => !known.has(comment.id));
  if (extra.length === 0) return loaded;
  return [...loaded, ...extra].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
}
