import type { ReactNode } from "react";

type TableRegionProps = { children: ReactNode } & ({ label: string; labelledBy?: never } | { labelledBy: string; label?: never });

/**
 * The wrapper of a table that may be wider than the screen: it scrolls sideways on its own,
 * takes keyboard focus so that the arrow keys can scroll it, and is a region named after its
 * table, so that a screen reader tells what the focus landed on.
 */
export function TableRegion({ label, labelledBy, children }: TableRegionProps) {
  return (
    <div className="table-wrap" role="region" aria-label={label} aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
