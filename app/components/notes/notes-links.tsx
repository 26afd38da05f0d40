import { Link } from "@remix-run/react";

/**
 * The ways from a meeting to its notes' approval, versions and downloads: on the meeting page, and
 * above the editor, so that whoever writes the notes can send them for approval or save a version
 * without going back to the meeting first.
 */
export function NotesLinks({ meetingId }: { meetingId: string }) {
  const base = `/moten/${meetingId}/anteckningar`;
  return (
    <ul className="notes-links">
      <li>
        <Link to={`${base}/justering`}>Justering av anteckningarna</Link>
      </li>
      <li>
        <Link to={`${base}/versioner`}>Versioner</Link>
      </li>
      <li>
        Ladda ner:{" "}
        <a href={`${base}.pdf`} download>
          PDF
        </a>
        ,{" "}
        <a href={`${base}.docx`} download>
          Word
        </a>
        ,{" "}
        <a href={`${base}.md`} download>
          Markdown
        </a>
      </li>
    </ul>
  );
}
