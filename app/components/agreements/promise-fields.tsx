import { TextArea } from "./form-fields";
import type { CommandFields } from "../networks/command-form";
import { Field } from "../ui/field";

type PromiseValues = { title?: string; description?: string; year?: number | string; localArea?: string; targetCount?: number | string; targetUnit?: string; targetOf?: number | string | null };

/**
 * The fields of a medborgarlöfte: what is promised, where, which year and the quantified target.
 * After a refused post (`form`) each field shows its error and what was sent.
 */
export function PromiseFields({ values = {}, idPrefix, form }: { values?: PromiseValues; idPrefix: string; form?: CommandFields }) {
  return (
    <>
      <Field label="Löfte" name="title" id={`${idPrefix}-title`} required defaultValue={form?.sent("title") ?? values.title ?? ""} error={form?.error("title")} hint="T.ex. Helginsats i centrum." />
      <TextArea label="Beskrivning" name="description" id={`${idPrefix}-description`} defaultValue={form?.sent("description") ?? values.description ?? ""} error={form?.error("description")} hint="Visas på den öppna sidan när löftet är publicerat." />
      <div className="form-row">
        <Field label="År" name="year" id={`${idPrefix}-year`} inputMode="numeric" required defaultValue={form?.sent("year") ?? String(values.year ?? new Date().getFullYear())} error={form?.error("year")} />
        <Field label="Område" name="localArea" id={`${idPrefix}-area`} required defaultValue={form?.sent("localArea") ?? values.localArea ?? ""} error={form?.error("localArea")} hint="T.ex. Järva." />
      </div>
      <fieldset>
        <legend>Mål</legend>
        <p className="hint">T.ex. minst 40 veckor av 52, eller minst 3 trygghetsvandringar (lämna ”av” tomt).</p>
        <div className="form-row">
          <Field label="Minst" name="targetCount" id={`${idPrefix}-count`} inputMode="numeric" required defaultValue={form?.sent("targetCount") ?? (values.targetCount ? String(values.targetCount) : "")} error={form?.error("targetCount")} />
          <Field label="Enhet" name="targetUnit" id={`${idPrefix}-unit`} required defaultValue={form?.sent("targetUnit") ?? values.targetUnit ?? ""} error={form?.error("targetUnit")} />
          <Field label="Av (valfritt)" name="targetOf" id={`${idPrefix}-of`} inputMode="numeric" defaultValue={form?.sent("targetOf") ?? (values.targetOf ? String(values.targetOf) : "")} error={form?.error("targetOf")} />
        </div>
      </fieldset>
    </>
  );
}

/** Progress towards a promise's target, as a bar and in words. */
export function PromiseProgress({ text, percent }: { text: string; percent: number }) {
  return (
    <div>
      <span className="meter" aria-hidden="true">
        <span className="meter__fill" style={{ width: `${percent}%` }} />
      </span>
      <p>
        {text} ({percent} %)
      </p>
    </div>
  );
}
