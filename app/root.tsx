import { data, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useNavigation,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { optionalUser } from "./auth/guards.server";
import { Announcer } from "./components/ui/announcer";
import { takeFlash } from "./server/flash.server";
import icon from "./assets/icon.svg?url&no-inline";
import styles from "./styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: icon, type: "image/svg+xml" },
];

// An error page says what went wrong in its title too, which is what a tab or a screen reader's
// page list shows.
export const meta: MetaFunction = ({ error }) => [{ title: error ? `${describeError(error).title} – Samverkansportalen` : "Samverkansportalen" }];

export async function loader({ context, request }: LoaderFunctionArgs) {
  // What the action before a redirect did ("Mötet är skapat…"), told once on this page.
  const { flash, headers } = await takeFlash(request);
  const user = optionalUser(context);
  const isOrgAdmin = user?.memberships.some((membership) => membership.role === "admin") ?? false;
  return data({ user: user ? { name: user.name, isSystemAdmin: user.isSystemAdmin, isOrgAdmin } : null, flash }, { headers });
}

/**
 * A main menu entry, marked as the current page where the address is the entry's or below it
 * (`end`: only the entry's own). Lighter than NavLink, which resolves its path and the location
 * once more for every entry on every page.
 */
function MenuLink({ to, end = false, children }: { to: string; end?: boolean; children: ReactNode }) {
  const pathname = useLocation().pathname.toLowerCase();
  const current = pathname === to || (!end && pathname.startsWith(`${to}/`));
  return (
    <Link to={to} aria-current={current ? "page" : undefined} className={current ? "active" : undefined}>
      {children}
    </Link>
  );
}

function Shell({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  const navigation = useNavigation();
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip-link" href="#innehall">
          Hoppa till innehållet
        </a>
        <header className="site-header">
          <div className="site-header__inner">
            <Link to="/" className="brand">
              Samverkansportalen
            </Link>
            {user ? (
              <nav aria-label="Huvudmeny" className="main-nav">
                <ul>
                  <li><MenuLink to="/" end>Start</MenuLink></li>
                  <li><MenuLink to="/natverk">Nätverk</MenuLink></li>
                  <li><MenuLink to="/atgardslistor">Åtgärder</MenuLink></li>
                  <li><MenuLink to="/kunskapsdagar">Kunskapsdagar</MenuLink></li>
                  <li><MenuLink to="/overenskommelser">Överenskommelser</MenuLink></li>
                  <li><MenuLink to="/organisationer">Organisationer</MenuLink></li>
                  {user.isSystemAdmin || user.isOrgAdmin ? <li><MenuLink to="/admin">Administration</MenuLink></li> : null}
                  <li><MenuLink to="/profil">Min profil</MenuLink></li>
                  <li>
                    <Form method="post" action="/logga-ut">
                      <button type="submit" name="intent" value="this" className="link-button">
                        Logga ut
                      </button>
                    </Form>
                  </li>
                </ul>
              </nav>
            ) : null}
          </div>
        </header>
        <div className="progress" role="status" aria-live="polite">
          {navigation.state !== "idle" ? <span className="progress__bar">Laddar…</span> : null}
        </div>
        <main id="innehall" tabIndex={-1}>
          <Announcer flash={data?.flash ?? null}>{children}</Announcer>
        </main>
        <footer className="site-footer">
          <p>
            Samverkansportalen för Stockholms stad, Polisregion Stockholm, Region Stockholm, civilsamhälle och
            näringsliv. Här hanteras inte sekretessbelagda uppgifter om enskilda eller säkerhetsskyddsklassificerade
            uppgifter.
          </p>
        </footer>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return <Shell>{children}</Shell>;
}

export default function App() {
  useLoaderData<typeof loader>();
  return <Outlet />;
}

const errorTexts: Record<number, { title: string; text: string }> = {
  400: { title: "Felaktig begäran", text: "Det som skickades gick inte att tolka. Kontrollera uppgifterna och försök igen." },
  403: { title: "Ingen behörighet", text: "Du har inte behörighet att se eller ändra det här." },
  404: { title: "Sidan finns inte", text: "Sidan eller uppgiften finns inte, eller så har du inte tillgång till den." },
  405: { title: "Otillåten begäran", text: "Det går inte att göra så på den här sidan." },
  409: { title: "Det gick inte att spara", text: "Uppgiften har ändrats eller krockar med något annat." },
  410: { title: "Länken har gått ut", text: "Länken gäller inte längre." },
  413: { title: "För stort", text: "Det du skickade är för stort." },
  429: { title: "För många försök", text: "Vänta en stund och försök igen." },
};

/** The status, title and text of an error page; the message a route gave with a known status. */
function describeError(error: unknown) {
  let status = 500;
  let message: string | undefined;
  if (isRouteErrorResponse(error)) {
    status = error.status;
    const body = error.data as { message?: unknown } | string | undefined;
    if (body && typeof body === "object" && typeof body.message === "string") message = body.message;
  }
  const known = errorTexts[status] ?? {
    title: "Något gick fel",
    text: "Ett oväntat fel inträffade. Försök igen om en stund. Kvarstår felet, kontakta portalens förvaltning.",
  };
  return { status, title: known.title, text: message ?? known.text };
}

export function ErrorBoundary() {
  const { status, title, text } = describeError(useRouteError());
  return (
    <div className="page error-page">
      <h1>{title}</h1>
      <p>{text}</p>
      <p className="muted">Felkod {status}</p>
      <p>
        <Link to="/">Till startsidan</Link>
      </p>
    </div>
  );
}
