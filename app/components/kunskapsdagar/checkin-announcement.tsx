import { FormError } from "../ui/field";

export type CheckinOutcome = { ok: boolean; message: string };

/**
 * The answer to the last check-in: a success in the polite status box (always present, so screen
 * readers hear each new message), a refusal as an error that is announced at once.
 */
export function CheckinAnnouncement({ outcome }: { outcome: CheckinOutcome | null }) {
  const done = outcome?.ok ? outcome.message : "";
  return (
    <>
      <div className="alert alert--ok" role="status" aria-live="polite" hidden={!done}>
        {done}
      </div>
      <FormError message={outcome && !outcome.ok ? outcome.message : null} />
    </>
  );
}
