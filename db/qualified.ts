import { getTableName, sql, type Column } from "drizzle-orm";

/**
 * A column with its table's name, for a correlated subquery in a select's fields. In a select
 * from one table, drizzle leaves the table's name out of the columns of its fields (`"id"`),
 * also inside an `sql` fragment there, and inside the subquery such a name binds to the
 * subquery's own table when that has a column of the same name: `where r.kunskapsdag_id = "id"`
 * compares with the registration's id, not the day's.
 */
export function qualified(column: Column) {
  return sql`${sql.identifier(getTableName(column.table))}.${sql.identifier(column.name)}`;
}
