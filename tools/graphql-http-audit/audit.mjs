// Runs graphql-http's auditServer against a GraphQL endpoint and prints one JSON line per audit:
//   node audit.mjs http://127.0.0.1:8000/graphql [header-name header-value]...
// Extra header pairs go on every request (e.g. an Authorization header once authentication exists).
import { auditServer } from 'graphql-http';

const [url, ...headerArgs] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs URL [header-name header-value]...');
  process.exit(2);
}
const extra = {};
for (let i = 0; i + 1 < headerArgs.length; i += 2) extra[headerArgs[i]] = headerArgs[i + 1];

function fetchWithHeaders(input, init = {}) {
  const headers = new Headers(init.headers || {});
  for (const [name, value] of Object.entries(extra)) headers.set(name, value);
  return fetch(input, { ...init, headers });
}

const results = await auditServer({ url, fetchFn: fetchWithHeaders });
for (const result of results) {
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    line.reason = result.reason;
    if (result.response) {
      line.httpStatus = result.response.status;
      line.contentType = result.response.headers.get('content-type');
      line.body = (await result.response.text()).slice(0, 300);
    }
  }
  console.log(JSON.stringify(line));
}
