import type { FieldDiff } from "../../domain/agreements/agreement-diff";

/** Changes between two versions, field by field; added and removed words are marked and labelled in text. */
export function VersionDiff({ changes, emptyText }: { changes: FieldDiff[]; emptyText: string }) {
  if (changes.length === 0) return <p className="empty">{emptyText}</p>;
  return (
    <dl className="version-diff">
      {changes.map((change) => (
        <div key={change.field}>
          <dt>{change.label}</dt>
          <dd className="pre-line">
            {change.parts.map((part, index) =>
              part.kind === "added" ? (
                <ins key={index}>
                  <span className="visually-hidden">[tillagt: </span>
                  {part.text}
                  <span className="visually-hidden">]</span>
                </ins>
              ) : part.kind === "removed" ? (
                <del key={index}>
                  <span className="visually-hidden">[borttaget: </span>
                  {part.text}
                  <span className="visually-hidden">]</span>
                </del>
              ) : (
                <span key={index}>{part.text}</span>
              ),
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
