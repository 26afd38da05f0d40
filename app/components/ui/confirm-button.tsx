import { useFetcher } from "@remix-run/react";
import { Button, Dialog, DialogTrigger, Heading, Modal, ModalOverlay } from "react-aria-components";

type ConfirmButtonProps = {
  label: string;
  title: string;
  description: string;
  confirmLabel: string;
  action?: string;
  fields: Record<string, string>;
  danger?: boolean;
};

/** A destructive action asks first, in an accessible modal dialog (React Aria). */
export function ConfirmButton({ label, title, description, confirmLabel, action, fields, danger = true }: ConfirmButtonProps) {
  const fetcher = useFetcher<{ ok?: boolean; message?: string }>();
  const busy = fetcher.state !== "idle";
  // A refusal (e.g. "the network's only coordinator") is told beside the button, and so is what
  // an action that stays on the page did (e.g. a restored version).
  const answer = fetcher.state === "idle" && fetcher.data?.message ? fetcher.data : null;
  return (
    <>
    <DialogTrigger>
      <Button className={`button ${danger ? "button--danger" : "button--secondary"}`} isDisabled={busy}>
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
    {answer?.ok === false ? (
      <p className="field-error" role="alert">
        {answer.message}
      </p>
    ) : null}
    <div className="alert alert--ok" role="status" aria-live="polite" hidden={answer?.ok !== true}>
      {answer?.ok === true ? answer.message : null}
    </div>
    </>
  );
}
