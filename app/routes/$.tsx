import { notFound } from "../domain/http-errors";

/** Every unknown address gets the Swedish 404 page. */
export function loader() {
  throw notFound();
}

export function action() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
