import { useFetcher, useFormAction } from "@remix-run/react";
import { useEffect, useId, useRef } from "react";
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from "react-aria-components";
import { useAnnounce } from "./announcer";
import { useHydrated } from "./hydrated";

/**
 * Marks a confirmation posted without JavaScript (`?bekraftat=1` on the form's address). The server
 * answers it with a redirect back to the page and the action's message, done or refused, as the
 * page's status message (app/entry.server.tsx): the button may be gone from the page after it (a
 * cancelled meeting has no "Ställ in"), and a reload does not post it again.
 */
export const CONFIRMED_PARAM = "bekraftat";

type ConfirmButtonProps = {
  label: string;
  title: string;
  description: string;
  confirmLabel: string;
  action?: string;
  fields: Record<string, string>;
  danger?: boolean;
};

/**
 * A destructive action asks first, in an accessible modal dialog (React Aria). The trigger is a
 * quiet danger button, clearly second to the page's main action; the dialog's final answer is the
 * solid red one. With `danger={false}` (an action that only needs a second thought) they are the
 * secondary and the primary button.
 */
export function ConfirmButton(props: ConfirmButtonProps) {
  // Without JavaScript the dialog cannot open: the same question then unfolds in place.
  return useHydrated() ? <DialogConfirmButton {...props} /> : <InlineConfirmButton {...props} />;
}

/**
 * The page as the server draws it, and as it stays without JavaScript: a disclosure (`details`)
 * whose summary looks like the button and which holds the question and the confirming button in
 * an ordinary form.
 */
function InlineConfirmButton({ label, title, description, confirmLabel, action, fields, danger = true }: ConfirmButtonProps) {
  const base = useFormAction(action);
  const target = `${base}${base.includes("?") ? "&" : "?"}${CONFIRMED_PARAM}=1`;
  const titleId = useId();
  return (
    <details className="confirm-inline">
      <summary className={`button ${danger ? "button--danger-quiet" : "button--secondary"}`}>{label}</summary>
      <form method="post" action={target} className="confirm-inline__panel stack" aria-labelledby={titleId}>
        <p className="confirm-inline__title" id={titleId}>
          <strong>{title}</strong>
        </p>
        <p>{description}</p>
        {Object.entries(fields).map(([name, value]) => (
          <input key={name} type="hidden" name={name} value={value} />
        ))}
        <div>
          <button type="submit" className={`button ${danger ? "button--danger" : ""}`}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </details>
  );
}

function DialogConfirmButton({ label, title, description, confirmLabel, action, fields, danger = true }: ConfirmButtonProps) {
  const fetcher = useFetcher<{ ok?: boolean; message?: string }>();
  const busy = fetcher.state !== "idle";
  const announce = useAnnounce();
  // A refusal (e.g. "the network's only coordinator") is told beside the button. What an action
  // that stays on the page did (e.g. a restored version, a removed member) is the page's status
  // message, told as soon as it is known: the page's update may remove this button's row.
  const refusal = fetcher.state === "idle" && fetcher.data?.ok === false ? fetcher.data.message : null;
  const done = fetcher.data?.ok === true ? fetcher.data.message : undefined;
  const told = useRef(false);
  useEffect(() => {
    if (!done) return;
    announce.say(done);
    told.current = true;
  }, [fetcher.data, done, announce]);
  // Removed with its row after the action (a removed member, say): the keyboard focus was on this
  // button and is gone with it, so the message takes it.
  useEffect(() => () => void (told.current && announce.focusLost()), [announce]);
  return (
    <>
    <DialogTrigger>
      <Button className={`button ${danger ? "button--danger-quiet" : "button--secondary"}`} isDisabled={busy}>
        {busy ? "Arbetar…" : label}
      </Button>
      <ModalOverlay className="modal-overlay" isDismissable>
        <Modal className="modal">
          <Dialog role="alertdialog" className="modal">
            {({ close }) => (
              <fetcher.Form method="post" action={action} onSubmit={() => close()}>
                <Heading slot="title">{title}</Heading>
                <p>{description}</p>
                {Object.entries(fields).map(([name, value]) => (
                  <input key={name} type="hidden" name={name} value={value} />
                ))}
                <div className="actions">
                  <button type="submit" className={`button ${danger ? "button--danger" : ""}`}>
                    {confirmLabel}
                  </button>
                  <Button className="button button--secondary" onPress={close}>
                    Avbryt
                  </Button>
                </div>
              </fetcher.Form>
            )}
          </Dialog>
        </Modal>
      </ModalOverlay>
    </DialogTrigger>
    {refusal ? (
      <p className="field-error" role="alert">
        {refusal}
      </p>
    ) : null}
    </>
  );
}
