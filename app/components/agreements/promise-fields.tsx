import { TextArea } from "./form-fields";
import { Field } from "../ui/field";

type PromiseValues = { title?: string; description?: string; year?: number | string; localArea?: string; targetCount?: number | string; targetUnit?: string; targetOf?: number | string | null };

/** The fields of a medborgarlöfte: what is promised, where, which year and the quantified target. */
export function PromiseFields({ values = {}, idPrefix }: { values?: PromiseValues; idPrefix: string }) {
  return (
    <>
      <Field label="Löfte" name="title" id={`${idPrefix}-title`} required defaultValue={values.title ?? ""} hint="T.ex. Helginsats i centrum." />
      <TextArea label="Beskrivning" name="description" id={`${idPrefix}-description`} defaultValue={values.description ?? ""} hint="Visas på den öppna sidan när löftet är publicerat." />
      <div className="form-row">
        <Field label="År" name="year" id={`${idPrefix}-year`} inputMode="numeric" required defaultValue={String(values.year ?? new Date().getFullYear())} />
        <Field label="Område" name="localArea" id={`${idPrefix}-area`} required defaultValue={values.localArea ?? ""} hint="T.ex. Järva." />
      </div>
      <fieldset>
        <legend>Mål</legend>
        <p className="hint">T.ex. minst 40 veckor av 52, eller minst 3 trygghetsvandringar (lämna ”av” tomt).</p>
        <div className="form-row">
          <Field label="Minst" name="targetCount" id={`${idPrefix}-count`} inputMode="numeric" required defaultValue={values.targetCount ? String(values.targetCount) : ""} />
          <Field label="Enhet" name="targetUnit" id={`${idPrefix}-unit`} required defaultValue={values.targetUnit ?? ""} />
          <Field label="Av (valfritt)" name="targetOf" id={`${idPrefix}-of`} inputMode="numeric" defaultValue={values.targetOf ? String(values.targetOf) : ""} />
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
