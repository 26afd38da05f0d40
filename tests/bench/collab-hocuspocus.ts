import { Server } from "@hocuspocus/server";

/** The reference server for `npm run bench:collab`: @hocuspocus/server with its defaults, in memory. */
const port = Number(process.env.PORT ?? 0);
const server = new Server({ port, quiet: true, debounce: 2000 });
await server.listen();
console.log(`hocuspocus ready on ${server.address.port}`);
