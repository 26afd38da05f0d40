import type { ProviderStatus, RejectReason } from "./collab-provider";

const refused: Record<Exclude<RejectReason, "timeout" | "rate_limited">, string> = {
  read_only: "Ändringen sparades inte: anteckningarna går inte längre att ändra. Kopiera texten om du behöver den.",
  forbidden: "Ändringen sparades inte: du har inte längre behörighet att ändra anteckningarna. Kopiera texten om du behöver den.",
  too_large: "Ändringen sparades inte: den är för stor. Dela upp den i mindre delar, t.ex. genom att klistra in lite i taget.",
  malformed: "Ändringen sparades inte: servern kunde inte läsa den. Kopiera texten och ladda om sidan.",
};

export function saveStateText(status: ProviderStatus) {
  if (status.save === "failed" && status.rejected && status.rejected in refused) return refused[status.rejected as keyof typeof refused];
  if (status.connection === "unauthorized") return "Du är inte längre inloggad. Ändringarna sparas lokalt och skickas när du har loggat in igen och öppnar anteckningarna.";
  if (status.save === "offline") return "Offline – ändringarna sparas lokalt och skickas när du är uppkopplad igen";
  if (status.save === "saving") return status.rejected === "rate_limited" ? "Sparar… (många ändringar just nu, försöker igen)" : "Sparar…";
  return "Sparat";
}

/** The save state, announced politely: "Sparat" only once the server has acknowledged every local change. */
export function SaveState({ status }: { status: ProviderStatus }) {
  return (
    <p className={`notes-save notes-save--${status.save}`} role="status" aria-live="polite" aria-atomic="true" data-save-state={status.save}>
      {saveStateText(status)}
    </p>
  );
}
